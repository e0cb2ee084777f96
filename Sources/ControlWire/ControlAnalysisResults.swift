/// A duplicate of a file, as `show` lists it.
public struct RelatedRecord: Codable, Sendable, Equatable {
    /// The other file.
    public var path: WirePath
    /// `exact` (same bytes), `normalised` (same normalised text) or `near` (a verified near duplicate).
    public var link: String
    /// For near duplicates: the Jaccard similarity of the two fingerprints.
    public var jaccard: Double?
    /// For near duplicates: how much of the smaller text the larger one contains.
    public var containment: Double?

    /// Creates a record.
    public init(path: WirePath, link: String, jaccard: Double?, containment: Double?) {
        self.path = path
        self.link = link
        self.jaccard = jaccard
        self.containment = containment
    }

    enum Key: String, CodingKey {
        case path, link, jaccard, containment
        case pathB64 = "path_b64"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        path = try WirePath.decode(from: container, key: .path, b64Key: .pathB64)
        link = try container.decode(String.self, forKey: .link)
        jaccard = try container.decodeIfPresent(Double.self, forKey: .jaccard)
        containment = try container.decodeIfPresent(Double.self, forKey: .containment)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try path.encode(into: &container, key: .path, b64Key: .pathB64)
        try container.encode(link, forKey: .link)
        try container.encodeIfPresent(jaccard, forKey: .jaccard)
        try container.encodeIfPresent(containment, forKey: .containment)
    }
}

/// A file in a cluster, as `clusters` lists it.
public struct ClusterMemberRecord: Codable, Sendable, Equatable {
    public var path: WirePath
    public var title: String?
    public var lang: String?
    /// `exact`, `normalised` or `near`: the member's strongest link to the rest of the cluster.
    public var link: String
    /// For near members: the strongest verified Jaccard similarity to another member.
    public var jaccard: Double?

    /// Creates a record.
    public init(path: WirePath, title: String?, lang: String?, link: String, jaccard: Double?) {
        self.path = path
        self.title = title
        self.lang = lang
        self.link = link
        self.jaccard = jaccard
    }

    enum Key: String, CodingKey {
        case path, title, lang, link, jaccard
        case pathB64 = "path_b64"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        path = try WirePath.decode(from: container, key: .path, b64Key: .pathB64)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        lang = try container.decodeIfPresent(String.self, forKey: .lang)
        link = try container.decode(String.self, forKey: .link)
        jaccard = try container.decodeIfPresent(Double.self, forKey: .jaccard)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try path.encode(into: &container, key: .path, b64Key: .pathB64)
        try container.encode(title, forKey: .title)
        try container.encode(lang, forKey: .lang)
        try container.encode(link, forKey: .link)
        try container.encodeIfPresent(jaccard, forKey: .jaccard)
    }
}

/// One cluster: files that are the same article (exact, normalised or near duplicates).
public struct ClusterRecord: Codable, Sendable, Equatable {
    /// The cluster id (16 hex digits of the smallest member hash): what `ls` reports as `cluster`.
    public var cluster: String
    /// Number of files.
    public var size: Int
    /// The members' languages, sorted.
    public var languages: [String]
    /// How many members have each `link` (`exact`, `normalised`, `near`); links no member has
    /// are left out.
    public var links: [String: Int]
    /// The members in path byte order: all of them, or the first `ClustersParams.members`.
    public var files: [ClusterMemberRecord]

    /// Creates a record.
    public init(
        cluster: String, size: Int, languages: [String], links: [String: Int], files: [ClusterMemberRecord]
    ) {
        self.cluster = cluster
        self.size = size
        self.languages = languages
        self.links = links
        self.files = files
    }
}

/// `clusters` params: a page, largest clusters first.
public struct ClustersParams: Codable, Sendable, Equatable {
    public var limit: Int?
    public var offset: Int?
    /// Members listed per cluster (the first in path order); nil lists them all. A cluster's
    /// `size`, `languages` and `links` count every member either way.
    public var members: Int?

    /// Creates params.
    public init(limit: Int? = nil, offset: Int? = nil, members: Int? = nil) {
        self.limit = limit
        self.offset = offset
        self.members = members
    }
}

/// `clusters` result.
public struct ClustersResult: Codable, Sendable, Equatable {
    public var clusters: [ClusterRecord]
    /// Clusters of two or more files in all.
    public var total: Int

    /// Creates a result.
    public init(clusters: [ClusterRecord], total: Int) {
        self.clusters = clusters
        self.total = total
    }
}

/// `search` params.
public struct SearchParams: Codable, Sendable, Equatable {
    /// What to look for: words (all must match; `word*` matches a prefix), in any script.
    public var query: String
    public var limit: Int?
    public var offset: Int?

    /// Creates params.
    public init(query: String, limit: Int? = nil, offset: Int? = nil) {
        self.query = query
        self.limit = limit
        self.offset = offset
    }
}

/// One search hit.
public struct SearchHitRecord: Codable, Sendable, Equatable {
    public var path: WirePath
    public var title: String?
    public var lang: String?
    /// bm25 score: lower is better.
    public var rank: Double
    /// Other files with the same bytes.
    public var copies: Int
    /// The best-matching line of the article, as written (original script), or nil.
    public var snippet: String?

    /// Creates a record.
    public init(path: WirePath, title: String?, lang: String?, rank: Double, copies: Int, snippet: String?) {
        self.path = path
        self.title = title
        self.lang = lang
        self.rank = rank
        self.copies = copies
        self.snippet = snippet
    }

    enum Key: String, CodingKey {
        case path, title, lang, rank, copies, snippet
        case pathB64 = "path_b64"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        path = try WirePath.decode(from: container, key: .path, b64Key: .pathB64)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        lang = try container.decodeIfPresent(String.self, forKey: .lang)
        rank = try container.decode(Double.self, forKey: .rank)
        copies = try container.decode(Int.self, forKey: .copies)
        snippet = try container.decodeIfPresent(String.self, forKey: .snippet)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try path.encode(into: &container, key: .path, b64Key: .pathB64)
        try container.encode(title, forKey: .title)
        try container.encode(lang, forKey: .lang)
        try container.encode(rank, forKey: .rank)
        try container.encode(copies, forKey: .copies)
        try container.encode(snippet, forKey: .snippet)
    }
}

/// `search` result.
public struct SearchResult: Codable, Sendable, Equatable {
    /// The query's normalised tokens, as matched (so a user sees how it was read).
    public var tokens: [String]
    public var hits: [SearchHitRecord]

    /// Creates a result.
    public init(tokens: [String], hits: [SearchHitRecord]) {
        self.tokens = tokens
        self.hits = hits
    }
}
