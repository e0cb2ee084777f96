/// `list` and `errors` result: a page of entries and the token of the next page (null at the end).
public struct ListResult: Codable, Sendable, Equatable {
    /// The entries.
    public var files: [FileRecord]
    /// The token of the next page, or `nil` on the last page.
    public var next: String?

    /// Creates a result.
    public init(files: [FileRecord], next: String?) {
        self.files = files
        self.next = next
    }

    enum CodingKeys: String, CodingKey { case files, next }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(files, forKey: .files)
        try container.encode(next, forKey: .next)
    }
}

/// One exact-duplicate group.
public struct DuplicateGroupRecord: Codable, Sendable, Equatable {
    /// The group id: the first 16 hex digits of the shared SHA-256.
    public var group: String
    /// The SHA-256 of the bytes (hex on the wire), when they could be read.
    public var sha256: String
    /// The size in bytes.
    public var size: Int64
    /// The entries.
    public var files: [FileRecord]

    /// Creates a group.
    public init(group: String, sha256: String, size: Int64, files: [FileRecord]) {
        self.group = group
        self.sha256 = sha256
        self.size = size
        self.files = files
    }
}

/// `duplicates` result.
public struct DuplicatesResult: Codable, Sendable, Equatable {
    /// The groups of this page.
    public var groups: [DuplicateGroupRecord]
    /// The token of the next page, or `nil` on the last page.
    public var next: String?

    /// Creates a result.
    public init(groups: [DuplicateGroupRecord], next: String?) {
        self.groups = groups
        self.next = next
    }

    enum CodingKeys: String, CodingKey { case groups, next }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(groups, forKey: .groups)
        try container.encode(next, forKey: .next)
    }
}

/// `changes` result.
///
/// Normally `changes` holds the entries after the cursor and `cursor` resumes after them;
/// `more` says another page is waiting. With `fresh_instance` the cursor could not be served
/// (another epoch, or older than the kept history): `changes` is empty, `files` lists every
/// catalogued entry, and `cursor` resumes after that listing.
public struct ChangesResult: Codable, Sendable, Equatable {
    /// The change-log entries, oldest first.
    public var changes: [ChangeRecord]
    /// The cursor that resumes after this answer.
    public var cursor: String
    /// Whether the cursor could not be served and `files` lists everything instead.
    public var freshInstance: Bool
    /// The entries.
    public var files: [FileRecord]?
    /// Whether another page is waiting.
    public var more: Bool

    /// Creates a result.
    public init(
        changes: [ChangeRecord], cursor: String, freshInstance: Bool, files: [FileRecord]?, more: Bool
    ) {
        self.changes = changes
        self.cursor = cursor
        self.freshInstance = freshInstance
        self.files = files
        self.more = more
    }

    enum CodingKeys: String, CodingKey {
        case changes, cursor, files, more
        case freshInstance = "fresh_instance"
    }
}

/// `sync`, `pause` and `resume` result: where the catalogue stands.
public struct SyncResult: Codable, Sendable, Equatable {
    /// The entry's state: `ok`, `error` or `skipped`.
    public var state: String
    /// The newest change-log sequence number.
    public var lastSeq: Int64
    /// The cursor that resumes after this answer.
    public var cursor: String

    /// Creates a result.
    public init(state: String, lastSeq: Int64, cursor: String) {
        self.state = state
        self.lastSeq = lastSeq
        self.cursor = cursor
    }

    enum CodingKeys: String, CodingKey {
        case state, cursor
        case lastSeq = "last_seq"
    }
}

/// A `progress` notification during `rescan`, and `rescan`'s result.
public struct RescanReport: Codable, Sendable, Equatable {
    /// Files read (hashed) so far.
    public var read: Int
    /// Directories listed so far.
    public var directories: Int
    /// Change-log entries appended so far.
    public var changes: Int
    /// Catalogued files when the rescan began (an estimate of the total, for a progress bar).
    public var total: Int
    /// Seconds since the rescan began.
    public var seconds: Double
    /// Whether the rescan has finished (false in the result of `wait: false`: it was queued).
    public var done: Bool
    /// The cursor after the rescan's changes (in the final result).
    public var cursor: String?

    /// Creates a report.
    public init(
        read: Int, directories: Int, changes: Int, total: Int, seconds: Double, done: Bool, cursor: String?
    ) {
        self.read = read
        self.directories = directories
        self.changes = changes
        self.total = total
        self.seconds = seconds
        self.done = done
        self.cursor = cursor
    }
}
