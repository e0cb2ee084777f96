import Foundation

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
    public var stepSize = 256

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
        let analyses = pending.parallelMap { item -> CatalogOperation? in
            guard case .read(_, let content) = reader.read(tree.cPath(item.path)),
                content.sha256 == item.sha256,
                let text = content.text
            else { return nil }
            return .analyse(
                sha256: item.sha256, ContentAnalysis(text: text, knownChrome: database.knownChrome.snapshot))
        }
        let operations = analyses.compactMap { $0 }
        progress.analysed += operations.count
        progress.skipped += analyses.count - operations.count
        try database.apply(operations)
        return progress
    }

    /// Runs every step (for `newsd scan`), and again from the start while the analyses it
    /// stores change chrome verdicts behind its cursor (hysteresis keeps that to a round or
    /// two; the rounds are capped all the same).
    public func runToEnd() throws -> Progress {
        var total = Progress()
        for _ in 0..<Self.maximumRounds {
            var progress = Progress()
            while !progress.finished { progress = try step(progress) }
            total.analysed += progress.analysed
            total.skipped += progress.skipped
            guard database.knownChrome.takeReanalysisDue() else { break }
        }
        total.finished = true
        return total
    }

    /// Rounds of `runToEnd` at most.
    static let maximumRounds = 4
}
