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
    /// Where the time went (seconds): `walk`, `load`, `read_wait`, `write`.
    public var phases: [String: Double]

    enum CodingKeys: String, CodingKey {
        case root, files, skipped, contents, errors, read, changes, seconds, phases
        case duplicateGroups = "duplicate_groups"
        case lastSeq = "last_seq"
    }
}

/// One full pass over the tree: `newsd scan`.
public struct Scanner: Sendable {
    public let settings: Settings
    public let database: AppDatabase

    /// Creates a scanner over an opened catalogue.
    public init(settings: Settings, database: AppDatabase) {
        self.settings = settings
        self.database = database
    }

    /// Walks the whole tree, reads what changed, and returns the catalogue's counts.
    public func run() throws -> ScanSummary {
        let started = DispatchTime.now()
        let reconciler = Reconciler(
            tree: settings.tree, ignore: settings.ignore, reader: FileReader(sizeLimit: settings.sizeLimit),
            database: database)
        let report = try reconciler.reconcile([.root])
        // Contents catalogued before text analysis existed (or by an older analysis version).
        _ = try AnalysisBackfill(tree: settings.tree, reader: reconciler.reader, database: database)
            .runToEnd()
        try database.checkpoint()
        let summary = try database.summary()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return ScanSummary(
            root: settings.tree.root,
            files: summary.files, skipped: summary.skipped, contents: summary.contents,
            duplicateGroups: summary.duplicateGroups, errors: summary.errors, read: report.read,
            changes: report.changes.count, lastSeq: summary.lastSeq, seconds: seconds,
            phases: [
                "walk": report.walkSeconds, "load": report.loadSeconds, "read_wait": report.readWaitSeconds,
                "write": report.writeSeconds,
            ])
    }
}
