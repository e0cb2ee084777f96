/// `status`'s result. Scripts may rely on these keys (`newsctl status --json` prints it as is).
public struct StatusResult: Codable, Sendable, Equatable {
    /// newsd's version.
    public var version: String
    /// The control protocol version.
    public var protocolVersion: Int
    /// `starting`, `scanning`, `watching`, `paused`, `degraded` or `stopping`.
    public var state: String
    /// The watched root, absolute.
    public var root: String
    /// Catalogued regular files, in any state.
    public var files: Int
    /// Entries listed but never opened (symlinks, FIFOs, sockets, devices).
    public var skipped: Int
    /// Distinct byte contents.
    public var contents: Int
    /// Sets of two or more files with identical bytes.
    public var duplicateGroups: Int
    /// Entries in the error state.
    public var errors: Int
    /// Work not yet committed, at every stage (`pending` says where): 0 means nothing at all
    /// is left to commit.
    public var queue: Int
    /// The cursor of the newest change: `changes` from here returns only what comes next.
    public var cursor: String
    /// The newest change-log sequence number.
    public var lastSeq: Int64
    /// Problems the operator should know about (overflow, watch limit, missing root, …).
    public var warnings: [String]
    /// The catalogue's epoch (the part of a cursor before the colon).
    public var epoch: String
    /// Directories watched with inotify, and the kernel's limit when readable.
    public var watches: Int
    /// `fs.inotify.max_user_watches`, when readable.
    public var watchLimit: Int?
    /// Directories polled because they could not be watched.
    public var polledDirectories: Int
    /// Times the inotify queue overflowed since start.
    public var overflows: Int
    /// Seconds since the daemon started.
    public var uptimeSeconds: Double
    /// When the last full reconcile finished (seconds since the epoch), if one has.
    public var lastFullScan: Double?
    /// Files read by the full reconcile running now (0 when none runs).
    public var scanRead: Int
    /// The full reconcile running now: entries other than directories its walk has found so
    /// far, and directories listed (absent when none runs).
    public var scanWalked: Int?
    public var scanDirectories: Int?
    /// Files it has to read, known once its walk is done (absent before, and when none runs).
    public var scanToRead: Int?
    /// Files it reads per second, and the seconds the rest should take at that rate (absent
    /// until its reads have run long enough to say).
    public var scanFilesPerSecond: Double?
    public var scanEtaSeconds: Double?
    /// Size of the catalogue's write-ahead log, in bytes.
    public var walBytes: Int64
    /// Change-log entries up to this sequence number have been pruned (0 when none).
    public var prunedThrough: Int64
    /// How long the change log keeps entries, in seconds.
    public var retentionSeconds: Int64
    /// Connected control clients (this one included).
    public var clients: Int
    /// The daemon's process id.
    public var pid: Int32
    /// Clusters of two or more files (exact, normalised or near duplicates of each other).
    public var clusters: Int?
    /// Contents from an older newsd still waiting for the analysis backfill.
    public var backfillRemaining: Int?
    /// Where the work `queue` counts is (absent from a daemon older than this field).
    public var pending: PendingRecord?
    /// The catalogue transaction in flight, absent when there is none.
    public var transaction: TransactionRecord?

    /// Memberwise initialiser.
    public init(
        version: String, protocolVersion: Int, state: String, root: String, files: Int, skipped: Int,
        contents: Int, duplicateGroups: Int, errors: Int, queue: Int, cursor: String, lastSeq: Int64,
        warnings: [String], epoch: String, watches: Int, watchLimit: Int?, polledDirectories: Int,
        overflows: Int, uptimeSeconds: Double, lastFullScan: Double?, scanRead: Int, walBytes: Int64,
        prunedThrough: Int64, retentionSeconds: Int64, clients: Int, pid: Int32, clusters: Int? = nil,
        backfillRemaining: Int? = nil, pending: PendingRecord? = nil, transaction: TransactionRecord? = nil
    ) {
        self.version = version
        self.protocolVersion = protocolVersion
        self.state = state
        self.root = root
        self.files = files
        self.skipped = skipped
        self.contents = contents
        self.duplicateGroups = duplicateGroups
        self.errors = errors
        self.queue = queue
        self.cursor = cursor
        self.lastSeq = lastSeq
        self.warnings = warnings
        self.epoch = epoch
        self.watches = watches
        self.watchLimit = watchLimit
        self.polledDirectories = polledDirectories
        self.overflows = overflows
        self.uptimeSeconds = uptimeSeconds
        self.lastFullScan = lastFullScan
        self.scanRead = scanRead
        self.walBytes = walBytes
        self.prunedThrough = prunedThrough
        self.retentionSeconds = retentionSeconds
        self.clients = clients
        self.pid = pid
        self.clusters = clusters
        self.backfillRemaining = backfillRemaining
        self.pending = pending
        self.transaction = transaction
    }

    /// The full reconcile running now, if one is: set from and read as the `scan_` keys (its
    /// `read` is `scan_read`).
    public var scan: ScanProgress? {
        get {
            scanWalked.map {
                ScanProgress(
                    directories: scanDirectories ?? 0, walked: $0, toRead: scanToRead, read: scanRead,
                    filesPerSecond: scanFilesPerSecond, etaSeconds: scanEtaSeconds)
            }
        }
        set {
            scanRead = newValue?.read ?? 0
            scanWalked = newValue?.walked
            scanDirectories = newValue?.directories
            scanToRead = newValue?.toRead
            scanFilesPerSecond = newValue?.filesPerSecond
            scanEtaSeconds = newValue?.etaSeconds
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, state, root, files, skipped, contents, errors, queue, cursor, warnings, epoch, watches
        case overflows, clients, pid, clusters, pending, transaction
        case backfillRemaining = "backfill_remaining"
        case protocolVersion = "protocol"
        case duplicateGroups = "duplicate_groups"
        case lastSeq = "last_seq"
        case watchLimit = "watch_limit"
        case polledDirectories = "polled_directories"
        case uptimeSeconds = "uptime_seconds"
        case lastFullScan = "last_full_scan"
        case scanRead = "scan_read"
        case scanWalked = "scan_walked"
        case scanDirectories = "scan_directories"
        case scanToRead = "scan_to_read"
        case scanFilesPerSecond = "scan_files_per_second"
        case scanEtaSeconds = "scan_eta_seconds"
        case walBytes = "wal_bytes"
        case prunedThrough = "pruned_through"
        case retentionSeconds = "retention_seconds"
    }
}
