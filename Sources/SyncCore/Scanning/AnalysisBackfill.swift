import Catalogue
import Dedup
import Foundation
import NewsCore

/// Analyses contents the catalogue holds without an analysis of the current version: those
/// catalogued by a newsd from before text analysis, or before a normaliser change, and those
/// analysed under corpus-chrome verdicts (`ChromeEvidence`) that have changed since.
///
/// Each content is analysed from one of its files, read again and checked against the
/// content's SHA-256 (a file that changed since is left to the reconciler). It runs in small
/// steps so that the daemon keeps following the tree meanwhile, and it never touches the
/// change log: the bytes did not change.
public struct AnalysisBackfill: Sendable {
    public let tree: Tree
    public let reader: FileReader
    public let database: AppDatabase
    /// Contents per step (one transaction).
    var stepSize = 256

    /// Where the backfill has got to.
    public struct Progress: Sendable, Equatable {
        /// Contents analysed so far.
        public var analysed = 0
        /// Contents that could not be analysed now (file gone, changed or unreadable).
        public var skipped = 0
        /// The last content id looked at: the next step starts after it.
        public var cursor: Int64 = 0
        /// True once nothing is left.
        public var finished = false

        /// A backfill that has not started.
        public init() {}
    }

    /// Creates a backfill over an opened catalogue.
    public init(tree: Tree, reader: FileReader, database: AppDatabase) {
        self.tree = tree
        self.reader = reader
        self.database = database
    }

    /// Analyses the next step's contents and commits them; returns the updated progress.
    public func step(_ progress: Progress) throws -> Progress {
        var progress = progress
        let pending = try database.contentsNeedingAnalysis(after: progress.cursor, limit: stepSize)
        guard let last = pending.last else {
            progress.finished = true
            return progress
        }
        progress.cursor = last.contentID
        let (analysed, skipped) = try analyse(pending)
        progress.analysed += analysed
        progress.skipped += skipped
        return progress
    }

    /// Analyses up to `stepSize` of the contents a changed chrome verdict queued, and commits
    /// them; returns how many it analysed (0 when none were queued).
    func reanalyseQueued() throws -> Int {
        let ids = database.knownChrome.takeQueued(limit: stepSize)
        guard !ids.isEmpty else { return 0 }
        return try analyse(try database.contentsToAnalyse(ids)).analysed
    }

    private func analyse(_ pending: [PendingAnalysis]) throws -> (analysed: Int, skipped: Int) {
        let analyses = pending.parallelMap { item -> CatalogOperation? in
            guard case .read(_, let content) = reader.read(tree.cPath(item.path)),
                content.sha256 == item.sha256,
                let text = content.text
            else { return nil }
            return .analyse(
                sha256: item.sha256,
                ContentAnalysis(
                    text: text, knownChrome: database.knownChrome.snapshot, wholeTextKey: content.wholeTextKey
                ))
        }
        let operations = analyses.compactMap { $0 }
        try database.apply(operations)
        return (operations.count, analyses.count - operations.count)
    }

    /// Runs every step (for `newsd scan`), then analyses again what changed chrome verdicts
    /// queued, until nothing is queued (hysteresis keeps that to a round or two; the rounds
    /// are capped all the same, and what is left is found again by the next start's pass).
    func runToEnd() throws -> Progress {
        var progress = Progress()
        database.knownChrome.clearQueued()
        while !progress.finished { progress = try step(progress) }
        for _ in 0..<Self.maximumQueuedSteps {
            let analysed = try reanalyseQueued()
            guard analysed > 0 || database.knownChrome.hasQueued else { break }
            progress.analysed += analysed
        }
        return progress
    }

    /// Steps of queued re-analysis `runToEnd` runs at most.
    static let maximumQueuedSteps = 64
}
