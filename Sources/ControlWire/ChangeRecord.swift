/// One change-log entry on the wire (`changes`, `follow`, `changes --json`, `follow --json`).
///
/// Keys: `seq`, `op` (`add`, `modify`, `rename`, `delete`), `path` (+ `path_b64`), `from`
/// (+ `from_b64`, renames only), `sha256` (hex or null), `state`, `at_ns` (when it was
/// recorded), and during `follow` the `cursor` just after this entry.
public struct ChangeRecord: Codable, Sendable, Equatable {
    /// The change-log sequence number.
    public var seq: Int64
    /// `add`, `modify`, `rename` or `delete`.
    public var op: String
    /// The path, relative to the watched root.
    public var path: WirePath
    /// The old path, for renames.
    public var from: WirePath?
    /// The SHA-256 of the bytes (hex on the wire), when they could be read.
    public var sha256: String?
    /// The entry's state: `ok`, `error` or `skipped`.
    public var state: String
    /// When the change was recorded, in nanoseconds since the Unix epoch.
    public var atNanoseconds: Int64
    /// The cursor that resumes just after this entry (sent by `follow`).
    public var cursor: String?

    /// Creates a record.
    public init(
        seq: Int64, op: String, path: WirePath, from: WirePath?, sha256: String?, state: String,
        atNanoseconds: Int64, cursor: String? = nil
    ) {
        self.seq = seq
        self.op = op
        self.path = path
        self.from = from
        self.sha256 = sha256
        self.state = state
        self.atNanoseconds = atNanoseconds
        self.cursor = cursor
    }

    enum Key: String, CodingKey {
        case seq, op, path, from, sha256, state, cursor
        case pathB64 = "path_b64"
        case fromB64 = "from_b64"
        case atNanoseconds = "at_ns"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        seq = try container.decode(Int64.self, forKey: .seq)
        op = try container.decode(String.self, forKey: .op)
        path = try WirePath.decode(from: container, key: .path, b64Key: .pathB64)
        from = try WirePath.decodeIfPresent(from: container, key: .from, b64Key: .fromB64)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        state = try container.decode(String.self, forKey: .state)
        atNanoseconds = try container.decodeIfPresent(Int64.self, forKey: .atNanoseconds) ?? 0
        cursor = try container.decodeIfPresent(String.self, forKey: .cursor)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(op, forKey: .op)
        try path.encode(into: &container, key: .path, b64Key: .pathB64)
        if let from { try from.encode(into: &container, key: .from, b64Key: .fromB64) }
        try container.encode(sha256, forKey: .sha256)
        try container.encode(state, forKey: .state)
        try container.encode(atNanoseconds, forKey: .atNanoseconds)
        try container.encodeIfPresent(cursor, forKey: .cursor)
    }
}
