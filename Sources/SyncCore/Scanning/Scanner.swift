import Catalogue
import Foundation

/// The result of one `newsd scan` pass, with the keys scripts rely on.
public struct ScanSummary: Sendable, Codable, Equatable {
    public var root: String
    public var files: Int
    public var skipped: Int
    public var contents: Int
    public var duplicateGroups: Int
    public var errors: Int
    public var read: Int
    public var changes: Int
    public var lastSeq: Int64
    public var seconds: Double
    /// Text contents still waiting for analysis (after `--defer-analysis`; 0 otherwise).
    public var analysisPending: Int
    /// Where the time went (seconds): `walk`, `load`, `read_wait`, `write`.
    var phases: [String: Double]

    enum CodingKeys: String, CodingKey {
        case root, files, skipped, contents, errors, read, changes, seconds, phases
        case duplicateGroups = "duplicate_groups"
        case lastSeq = "last_seq"
        case analysisPending = "analysis_pending"
    }
}

/// One full pass over the tree: `newsd scan`.
public struct Scanner: Sendable {
    public let settings: Settings
    public let database: AppDatabase
    /// Catalogue bytes, duplicates and changes only, leaving text analysis to the next
    /// daemon start or full scan (`newsd scan --defer-analysis`).
    public var deferAnalysis = false
    /// Take the tree as it is even where it looks unmounted or emptied (`newsd scan
    /// --accept-root`; see `Reconciler.reconcile`).
    public var acceptingRoot = false
    /// Where the pass counts its progress (`newsd scan`'s line on a terminal), if anywhere:
    /// from the start of the pass to the end of `run`.
    public var counters: ScanCounters?

    /// Creates a scanner over an opened catalogue.
    public init(settings: Settings, database: AppDatabase) {
        self.settings = settings
        self.database = database
    }

    /// Walks the whole tree, reads what changed, and returns the catalogue's counts.
    public func run() throws -> ScanSummary {
        let started = DispatchTime.now()
        var reconciler = Reconciler(
            tree: settings.tree, ignore: settings.ignore, reader: FileReader(sizeLimit: settings.sizeLimit),
            database: database)
        reconciler.analyse = !deferAnalysis
        reconciler.keepsChanges = false
        reconciler.counters = counters
        counters?.begin()
        defer { counters?.end() }
        // A one-shot pass with no resident budget: the reader keeps two batches ahead of the
        // writer (see `Reconciler.readAhead`; in a cold scan of the corpus the writer's waits
        // for reads went from 0.27 to 0.11 s), and a transaction holds 1,024 files, not 512
        // (fewer commits, each rewriting the indexes' upper pages: median 2.90 -> 2.81 s over
        // five rounds and 10 MB less written, for 4-5 MiB more peak memory).
        reconciler.readAhead = 2
        reconciler.batchSize = 1024
        // Without analysis a file costs the writer ~40 µs: bigger transactions still.
        if deferAnalysis { reconciler.batchSize = 2048 }
        // Checkpoints on their own connection and thread, as in the daemon: inside the
        // writer's commits they were 2% of a cold ingest's CPU on its critical path.
        // Started once a batch has been written, so a scan that reads nothing does not pay
        // for its connection (30 ms of a 120 ms warm scan).
        let checkpointer = WALCheckpointer(database: database)
        defer { checkpointer.stop() }
        var checkpointing = false
        let report = try reconciler.reconcile(
            [.root],
            acceptingRoot: acceptingRoot,
            progress: { step in
                guard !checkpointing, step.read > 0 else { return }
                checkpointing = true
                // If it cannot start, SQLite's own checkpoints stay on: slower, nothing lost.
                try? checkpointer.start()
            })
        // Before the last checkpoint below: SQLite runs one checkpoint at a time, and a second
        // one fails at once (SQLITE_BUSY) rather than wait.
        checkpointer.stop()
        if !deferAnalysis {
            // Contents catalogued before text analysis existed, by an older analysis version,
            // or by a scan that deferred it.
            _ = try AnalysisBackfill(tree: settings.tree, reader: reconciler.reader, database: database)
                .runToEnd()
        }
        let analysisPending = try database.countContentsNeedingAnalysis()
        try database.checkpoint()
        try database.saveCandidateIndex()
        let summary = try database.keptSummary()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return ScanSummary(
            root: settings.tree.root,
            files: summary.files, skipped: summary.skipped, contents: summary.contents,
            duplicateGroups: summary.duplicateGroups, errors: summary.errors, read: report.read,
            changes: report.changeCount, lastSeq: summary.lastSeq, seconds: seconds,
            analysisPending: analysisPending,
            phases: [
                "walk": report.walkSeconds, "load": report.loadSeconds, "read_wait": report.readWaitSeconds,
                "write": report.writeSeconds,
            ])
    }
}
