/// `cluster` params: one cluster, named by its id or by one of its files, and a page of its
/// members.
public struct ClusterParams: Codable, Sendable, Equatable {
    /// The cluster id (16 hex digits, as `clusters` and the file record give it).
    public var cluster: String?
    /// Or a file: its cluster, with that file listed first.
    public var path: String?
    /// The file as base64 of its exact bytes.
    public var pathB64: String?
    /// Members to skip (default 0).
    public var offset: Int?
    /// Members per page (default 20, at most 200).
    public var limit: Int?
    /// Whether each listed member carries its text, line by line, with the analysis's verdict
    /// on each line (default false).
    public var text: Bool?

    /// Creates params.
    public init(
        cluster: String? = nil, path: String? = nil, pathB64: String? = nil, offset: Int? = nil,
        limit: Int? = nil, text: Bool? = nil
    ) {
        self.cluster = cluster
        self.path = path
        self.pathB64 = pathB64
        self.offset = offset
        self.limit = limit
        self.text = text
    }

    /// The default page of members.
    public static let defaultLimit = 20
    /// The largest page of members.
    public static let maxLimit = 200

    enum CodingKeys: String, CodingKey {
        case cluster, path, offset, limit, text
        case pathB64 = "path_b64"
    }
}

/// One line of an article as the analysis read it.
public struct ArticleLine: Codable, Sendable, Equatable {
    /// The line as written (without its line break).
    public var text: String
    /// `title`, `body`, `blank`, or `chrome`: outside the fingerprinted body (site chrome, a
    /// date line, text before or after the article); `reason` says which.
    public var kind: String
    /// Why a `chrome` line was left out ("pattern: navigation", "corpus chrome", "date line"…).
    public var reason: String?

    /// Creates a line.
    public init(text: String, kind: String, reason: String? = nil) {
        self.text = text
        self.kind = kind
        self.reason = reason
    }
}

/// A member of a cluster, as `cluster` lists it: what `clusters` gives of it (path, title,
/// language, link, similarity; read through `member`'s names) with its date and, when asked
/// for, its text.
@dynamicMemberLookup
public struct ClusterMemberDetail: Codable, Sendable, Equatable {
    /// The member as `clusters` lists it.
    public var member: ClusterMemberRecord
    /// The publication time found in the text, ISO 8601 UTC.
    public var published: String?
    /// The file's text, line by line (with `text`); `nil` when not asked for or unreadable.
    public var lines: [ArticleLine]?
    /// Whether the text was longer than the lines given (the analysed prefix, 256 KiB).
    public var truncated: Bool?

    /// Creates a member.
    public init(
        path: WirePath, title: String?, lang: String?, published: String?, link: String, jaccard: Double?,
        lines: [ArticleLine]? = nil, truncated: Bool? = nil
    ) {
        self.member = ClusterMemberRecord(path: path, title: title, lang: lang, link: link, jaccard: jaccard)
        self.published = published
        self.lines = lines
        self.truncated = truncated
    }

    public subscript<Value>(dynamicMember field: KeyPath<ClusterMemberRecord, Value>) -> Value {
        member[keyPath: field]
    }

    enum Key: String, CodingKey {
        case published, lines, truncated
    }

    /// One JSON object: the record's keys and these beside them.
    public init(from decoder: any Decoder) throws {
        member = try ClusterMemberRecord(from: decoder)
        let container = try decoder.container(keyedBy: Key.self)
        published = try container.decodeIfPresent(String.self, forKey: .published)
        lines = try container.decodeIfPresent([ArticleLine].self, forKey: .lines)
        truncated = try container.decodeIfPresent(Bool.self, forKey: .truncated)
    }

    public func encode(to encoder: any Encoder) throws {
        try member.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(published, forKey: .published)
        try container.encodeIfPresent(lines, forKey: .lines)
        try container.encodeIfPresent(truncated, forKey: .truncated)
    }
}

/// `cluster` result: the cluster's size and a page of its members.
public struct ClusterDetail: Codable, Sendable, Equatable {
    /// The cluster id.
    public var cluster: String
    /// Members in all.
    public var size: Int
    /// This page's members: in path byte order, the named file first when asked by `path`.
    public var files: [ClusterMemberDetail]

    /// Creates a result.
    public init(cluster: String, size: Int, files: [ClusterMemberDetail]) {
        self.cluster = cluster
        self.size = size
        self.files = files
    }
}

/// `languages` result: catalogued texts per language.
public struct LanguagesResult: Codable, Sendable, Equatable {
    /// Files per language code (`ar`, `fa`, `sw`, `en`, `und`); files that are not analysed
    /// text are not counted.
    public var languages: [String: Int]
    /// The newest change-log sequence number the counts include.
    public var lastSeq: Int64

    /// Creates a result.
    public init(languages: [String: Int], lastSeq: Int64) {
        self.languages = languages
        self.lastSeq = lastSeq
    }

    enum CodingKeys: String, CodingKey {
        case languages
        case lastSeq = "last_seq"
    }
}
