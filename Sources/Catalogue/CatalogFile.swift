import Foundation
import NewsCore

/// One catalogued entry as the control socket reports it: its `files` row, its content's hash
/// and how many catalogued entries share those bytes.
public struct CatalogFile: Sendable, Equatable {
    /// The path, relative to the watched root.
    public var path: RelativePath
    /// What the entry is: `file`, `symlink`, `fifo`, … (`EntryKind`).
    public var kind: EntryKind
    /// The size in bytes.
    public var size: Int64
    /// Modification time, in nanoseconds since the Unix epoch.
    public var mtimeNanoseconds: Int64
    /// The device of the entry's inode.
    public var device: UInt64
    /// The entry's inode number.
    public var inode: UInt64
    /// The entry's state: `ok`, `error` or `skipped`.
    public var state: FileState
    /// Why, when the state is not `ok`.
    public var reason: String?
    /// The SHA-256 of the bytes, when they could be read.
    public var sha256: [UInt8]?
    /// How many catalogued entries have these exact bytes (this one included); 0 when unread.
    public var copies: Int
    /// What the text analysis found (all nil for entries that are not analysed text).
    public var language: String?
    public var title: String?
    public var published: Date?
    public var normalizedHash: [UInt8]?
    /// The cluster shared with the entry's exact, normalised and near duplicates (its own id
    /// when it has none; nil for entries without content).
    public var cluster: String?

    /// Memberwise initialiser.
    public init(
        path: RelativePath, kind: EntryKind, size: Int64, mtimeNanoseconds: Int64, device: UInt64,
        inode: UInt64, state: FileState, reason: String?, sha256: [UInt8]?, copies: Int,
        language: String? = nil, title: String? = nil, published: Date? = nil, normalizedHash: [UInt8]? = nil,
        cluster: String? = nil
    ) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.device = device
        self.inode = inode
        self.state = state
        self.reason = reason
        self.sha256 = sha256
        self.copies = copies
        self.language = language
        self.title = title
        self.published = published
        self.normalizedHash = normalizedHash
        self.cluster = cluster
    }

    /// The columns `init(row:)` reads, over `files f LEFT JOIN contents c`.
    static let columns = """
        f.path, f.kind, f.size, f.mtime_ns, f.dev, f.ino, f.state, f.reason, c.sha256,
        CASE WHEN f.content_id IS NULL THEN 0
             ELSE (SELECT COUNT(*) FROM files g WHERE g.content_id = f.content_id) END,
        c.lang, c.title, c.published_ns, c.norm_hash, c.cluster
        """

    /// How many columns `columns` has (a query's own columns follow them).
    static let columnCount: Int32 = 15

    init(row: RawRow, offset: Int32 = 0) {
        path = RelativePath(bytes: row.blob(offset))
        kind = EntryKind(rawValue: row.text(offset + 1)) ?? .unknown
        size = row.int(offset + 2)
        mtimeNanoseconds = row.int(offset + 3)
        device = UInt64(bitPattern: row.int(offset + 4))
        inode = UInt64(bitPattern: row.int(offset + 5))
        state = FileState(rawValue: row.text(offset + 6)) ?? .error
        reason = row.optionalText(offset + 7)
        sha256 = row.optionalBlob(offset + 8)
        copies = Int(row.int(offset + 9))
        language = row.optionalText(offset + 10)
        title = row.optionalText(offset + 11)
        published = row.optionalInt(offset + 12).map { Date(timeIntervalSince1970: Double($0) / 1e9) }
        normalizedHash = row.optionalBlob(offset + 13)
        cluster = row.optionalText(offset + 14)
    }
}

/// Which catalogued entries a listing returns.
public struct FileFilter: Sendable, Equatable {
    /// Only entries in this state.
    public var state: FileState?
    /// Only entries whose path starts with these bytes.
    public var prefix: RelativePath?
    /// Only entries whose text was identified as this language (needs the text analysis).
    public var language: String?

    /// A filter; every criterion is optional.
    public init(state: FileState? = nil, prefix: RelativePath? = nil, language: String? = nil) {
        self.state = state
        self.prefix = prefix
        self.language = language
    }
}

/// A set of catalogued entries with identical bytes.
public struct DuplicateGroup: Sendable, Equatable {
    /// The SHA-256 of the bytes (hex on the wire), when they could be read.
    public var sha256: [UInt8]
    /// The size in bytes.
    public var size: Int64
    /// The entries.
    public var files: [CatalogFile]
}

/// A page of the change log, read in one transaction with the bounds it must be judged by.
public struct ChangeWindow: Sendable, Equatable {
    /// Entries after the requested sequence number, oldest first.
    public var changes: [ChangeEntry]
    /// The newest sequence number ever assigned (entries are never renumbered).
    public var lastSeq: Int64
    /// Every entry with a sequence number up to this one has been pruned (0 when none has).
    public var prunedThrough: Int64
}

/// Every catalogued entry, with the change-log position it corresponds to.
public struct CatalogSnapshot: Sendable, Equatable {
    /// The entries.
    public var files: [CatalogFile]
    /// The newest change-log sequence number.
    public var lastSeq: Int64
    /// Every change-log entry up to this sequence number has been pruned.
    public var prunedThrough: Int64
}
