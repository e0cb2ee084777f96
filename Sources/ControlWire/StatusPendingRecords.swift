/// `status`'s `pending`: where the work that `queue` counts is, stage by stage.
public struct PendingRecord: Codable, Sendable, Equatable {
    /// inotify events not interpreted yet: unread in the kernel (estimated from its queue's
    /// size) or being read.
    public var events: Int
    /// Paths waiting to settle.
    public var settling: Int
    /// Paths whose walk has not finished (a directory may hold any number of files).
    public var walking: Int
    /// What the pass in flight still has to commit: files to read, and entries renamed,
    /// deleted or skipped without a read.
    public var ingesting: Int
    /// Full reconciles due and not begun (a `rescan` asked for, an overflow to recover from).
    public var reconcilesWaiting: Int

    /// Memberwise initialiser.
    public init(events: Int, settling: Int, walking: Int, ingesting: Int, reconcilesWaiting: Int) {
        self.events = events
        self.settling = settling
        self.walking = walking
        self.ingesting = ingesting
        self.reconcilesWaiting = reconcilesWaiting
    }

    enum CodingKeys: String, CodingKey {
        case events, settling, walking, ingesting
        case reconcilesWaiting = "reconciles_waiting"
    }
}

/// `status`'s `transaction`: the catalogue transaction in flight.
public struct TransactionRecord: Codable, Sendable, Equatable {
    /// Catalogue operations in it (a file added, modified, renamed or deleted).
    public var operations: Int
    /// Operations applied so far; when all are, it is updating the search index and the
    /// clusters, and committing.
    public var applied: Int
    /// Seconds since it began.
    public var seconds: Double

    /// Memberwise initialiser.
    public init(operations: Int, applied: Int, seconds: Double) {
        self.operations = operations
        self.applied = applied
        self.seconds = seconds
    }
}
