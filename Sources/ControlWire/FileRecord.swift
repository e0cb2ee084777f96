/// One catalogued entry on the wire (`list`, `errors`, `duplicates`, fresh listings, `ls --json`).
///
/// Keys: `path` (+ `path_b64` for non-UTF-8 names), `kind`, `size`, `sha256` (hex, or null
/// when unread), `state` (`ok`, `error`, `skipped`), `reason` (only when not ok), `group` (the
/// exact-duplicate group id — the first 16 hex digits of the shared SHA-256 — or null when no
/// other entry has the same bytes).
public struct FileRecord: Codable, Sendable, Equatable {
    /// The path, relative to the watched root.
    public var path: WirePath
    /// What the entry is: `file`, `symlink`, `fifo`, … (`EntryKind`).
    public var kind: String
    /// The size in bytes.
    public var size: Int64
    /// The SHA-256 of the bytes (hex on the wire), when they could be read.
    public var sha256: String?
    /// The entry's state: `ok`, `error` or `skipped`.
    public var state: String
    /// Why, when the state is not `ok`.
    public var reason: String?
    /// The exact-duplicate group id, or `nil` when no other entry has these bytes.
    public var group: String?
    /// The language (ISO 639-1, or `und`), when the entry is analysed text.
    public var lang: String?
    /// The title in its original script.
    public var title: String?
    /// The publication time, ISO 8601 UTC.
    public var published: String?
    /// Hex SHA-256 of the normalised text: the normalised-duplicate key.
    public var norm: String?
    /// The cluster shared with the entry's exact, normalised and near duplicates (its own id
    /// when it has none).
    public var cluster: String?

    /// Creates a record.
    public init(
        path: WirePath, kind: String, size: Int64, sha256: String?, state: String, reason: String?,
        group: String?, lang: String? = nil, title: String? = nil, published: String? = nil,
        norm: String? = nil,
        cluster: String? = nil
    ) {
        self.path = path
        self.kind = kind
        self.size = size
        self.sha256 = sha256
        self.state = state
        self.reason = reason
        self.group = group
        self.lang = lang
        self.title = title
        self.published = published
        self.norm = norm
        self.cluster = cluster
    }

    /// The group id for a SHA-256 in hex: its first 16 digits (host-independent).
    public static func groupID(sha256 hex: String) -> String { String(hex.prefix(16)) }

    enum Key: String, CodingKey {
        case path, kind, size, sha256, state, reason, group, lang, title, published, norm, cluster
        case pathB64 = "path_b64"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        path = try WirePath.decode(from: container, key: .path, b64Key: .pathB64)
        kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? "file"
        size = try container.decode(Int64.self, forKey: .size)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        state = try container.decode(String.self, forKey: .state)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        group = try container.decodeIfPresent(String.self, forKey: .group)
        lang = try container.decodeIfPresent(String.self, forKey: .lang)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        published = try container.decodeIfPresent(String.self, forKey: .published)
        norm = try container.decodeIfPresent(String.self, forKey: .norm)
        cluster = try container.decodeIfPresent(String.self, forKey: .cluster)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try path.encode(into: &container, key: .path, b64Key: .pathB64)
        try container.encode(kind, forKey: .kind)
        try container.encode(size, forKey: .size)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encode(group, forKey: .group)
        try container.encode(lang, forKey: .lang)
        try container.encode(title, forKey: .title)
        try container.encode(published, forKey: .published)
        try container.encode(norm, forKey: .norm)
        try container.encode(cluster, forKey: .cluster)
    }
}

/// `show`'s result: the entry's record plus its metadata and the other entries with the same bytes.
public struct FileDetail: Codable, Sendable, Equatable {
    /// The entry's record.
    public var file: FileRecord
    /// Modification time in nanoseconds since the epoch.
    public var mtimeNanoseconds: Int64
    /// The device of the entry's inode.
    public var device: UInt64
    /// The entry's inode number.
    public var inode: UInt64
    /// Catalogued entries with these exact bytes, this one included (0 when unread).
    public var copies: Int
    /// The other entries of its exact-duplicate group.
    public var duplicates: [FileRecord]
    /// Its exact, normalised and near duplicates, each once under its strongest link.
    public var related: [RelatedRecord] = []
    /// How sure the language guess is (0…1).
    public var languageConfidence: Double?
    /// The dominant script (ISO 15924: `Arab`, `Latn`, …).
    public var script: String?
    /// Where the title came from: `line`, `firstSentence` or `none`.
    public var titleSource: String?

    /// Creates a detail.
    public init(
        file: FileRecord, mtimeNanoseconds: Int64, device: UInt64, inode: UInt64, copies: Int,
        duplicates: [FileRecord]
    ) {
        self.file = file
        self.mtimeNanoseconds = mtimeNanoseconds
        self.device = device
        self.inode = inode
        self.copies = copies
        self.duplicates = duplicates
    }

    enum Key: String, CodingKey {
        case mtimeNanoseconds = "mtime_ns"
        case device, inode, copies, duplicates, related, script
        case languageConfidence = "lang_confidence"
        case titleSource = "title_source"
    }

    public init(from decoder: any Decoder) throws {
        file = try FileRecord(from: decoder)
        let container = try decoder.container(keyedBy: Key.self)
        mtimeNanoseconds = try container.decode(Int64.self, forKey: .mtimeNanoseconds)
        device = try container.decode(UInt64.self, forKey: .device)
        inode = try container.decode(UInt64.self, forKey: .inode)
        copies = try container.decode(Int.self, forKey: .copies)
        duplicates = try container.decode([FileRecord].self, forKey: .duplicates)
        related = try container.decodeIfPresent([RelatedRecord].self, forKey: .related) ?? []
        languageConfidence = try container.decodeIfPresent(Double.self, forKey: .languageConfidence)
        script = try container.decodeIfPresent(String.self, forKey: .script)
        titleSource = try container.decodeIfPresent(String.self, forKey: .titleSource)
    }

    public func encode(to encoder: any Encoder) throws {
        try file.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(mtimeNanoseconds, forKey: .mtimeNanoseconds)
        try container.encode(device, forKey: .device)
        try container.encode(inode, forKey: .inode)
        try container.encode(copies, forKey: .copies)
        try container.encode(duplicates, forKey: .duplicates)
        try container.encode(related, forKey: .related)
        try container.encode(languageConfidence, forKey: .languageConfidence)
        try container.encode(script, forKey: .script)
        try container.encode(titleSource, forKey: .titleSource)
    }
}
