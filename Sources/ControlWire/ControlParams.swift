/// `list` and `errors` params: filters and a page.
public struct ListParams: Codable, Sendable, Equatable {
    /// `ok`, `error` or `skipped` (`errors` always uses `error`).
    public var state: String?
    /// Only paths starting with this string (bytes: `prefix_b64`).
    public var prefix: String?
    /// The prefix as base64 of its exact bytes.
    public var prefixB64: String?
    /// Only files whose text is in this language (needs the text analysis).
    public var language: String?
    /// The `next` token of the previous page.
    public var after: String?
    /// Page size (default 1,000, at most 10,000).
    public var limit: Int?

    /// Creates params.
    public init(
        state: String? = nil, prefix: String? = nil, prefixB64: String? = nil, language: String? = nil,
        after: String? = nil, limit: Int? = nil
    ) {
        self.state = state
        self.prefix = prefix
        self.prefixB64 = prefixB64
        self.language = language
        self.after = after
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case state, prefix, language, after, limit
        case prefixB64 = "prefix_b64"
    }
}

/// `show` params: one path, relative to the root (or absolute under it); `path_b64` for
/// exact bytes.
public struct ShowParams: Codable, Sendable, Equatable {
    /// The path, relative to the watched root.
    public var path: String?
    /// The path as base64 of its exact bytes.
    public var pathB64: String?

    /// Creates params.
    public init(path: String? = nil, pathB64: String? = nil) {
        self.path = path
        self.pathB64 = pathB64
    }

    enum CodingKeys: String, CodingKey {
        case path
        case pathB64 = "path_b64"
    }
}

/// `duplicates` params: a page of groups.
public struct DuplicatesParams: Codable, Sendable, Equatable {
    /// The `next` token of the previous page.
    public var after: String?
    /// Groups per page (default 1,000, at most 10,000).
    public var limit: Int?

    /// Creates params.
    public init(after: String? = nil, limit: Int? = nil) {
        self.after = after
        self.limit = limit
    }
}

/// `changes` params.
public struct ChangesParams: Codable, Sendable, Equatable {
    /// The cursor to continue from; absent means from the start of the kept history.
    public var since: String?
    /// Entries per page (default 1,000, at most 10,000).
    public var limit: Int?

    /// Creates params.
    public init(since: String? = nil, limit: Int? = nil) {
        self.since = since
        self.limit = limit
    }
}

/// `follow` params.
public struct FollowParams: Codable, Sendable, Equatable {
    /// The cursor to continue from; absent means from now.
    public var since: String?
    /// How many entries the stream may fall behind the newest before it ends with
    /// `resync_required` (default 100,000).
    public var maxLag: Int64?

    /// Creates params.
    public init(since: String? = nil, maxLag: Int64? = nil) {
        self.since = since
        self.maxLag = maxLag
    }

    enum CodingKeys: String, CodingKey {
        case since
        case maxLag = "max_lag"
    }
}

/// `rescan` params.
public struct RescanParams: Codable, Sendable, Equatable {
    /// Answer when the reconcile is done, with `progress` notifications meanwhile (default
    /// true); false answers at once.
    public var wait: Bool?
    /// Take the root as it is now, even where it looks unmounted or emptied (default false):
    /// files that are not there are read as deleted.
    public var acceptRoot: Bool?

    /// Creates params.
    public init(wait: Bool? = nil, acceptRoot: Bool? = nil) {
        self.wait = wait
        self.acceptRoot = acceptRoot
    }

    enum CodingKeys: String, CodingKey {
        case wait
        case acceptRoot = "accept_root"
    }
}
