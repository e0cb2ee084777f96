import Foundation
import GRDB
import NewsCore
import TextAnalysis

/// What the analysis says about one content, as listings and `show` report it.
public struct ContentFacts: Sendable, Equatable {
    public var language: String?
    public var languageConfidence: Double?
    public var script: String?
    public var title: String?
    public var titleSource: String?
    public var published: Date?
    /// SHA-256 of the normalised text (the normalised-duplicate key).
    public var normalizedHash: [UInt8]?
    /// The cluster id shared by the content's exact, normalised and near duplicates (its own
    /// id when it has none).
    public var cluster: String?
}

/// A file related to another as a duplicate.
public struct RelatedFile: Sendable, Equatable {
    /// How the two are related.
    public enum Link: String, Sendable {
        case exact
        case normalized = "normalised"
        case near

        /// A cluster member's link to the rest of its cluster: the same bytes as another
        /// member, else the same normalised text as another of its contents, else near.
        init(sameBytes: Bool, sameNormalisedText: Bool) {
            self = sameBytes ? .exact : (sameNormalisedText ? .normalized : .near)
        }
    }

    public var path: RelativePath
    public var link: Link
    /// For near duplicates: the verified Jaccard similarity of the fingerprints.
    public var jaccard: Double?
    /// For near duplicates: how much of the smaller text the larger contains.
    public var containment: Double?
}

/// One cluster: files connected by exact, normalised or near duplication.
public struct ClusterSummary: Sendable, Equatable {
    public var id: String
    /// Files in the cluster.
    public var size: Int
    /// The members' languages, sorted.
    public var languages: [String]
    /// How many members have each link (links no member has are left out).
    public var links: [RelatedFile.Link: Int]
    /// The members listed: all of them, or the first in path order when the listing is capped.
    public var members: [ClusterMember]

    /// A cluster listed whole: its counts are its members'.
    init(id: String, members: [ClusterMember]) {
        self.init(
            id: id, size: members.count, languages: Array(Set(members.compactMap(\.language))).sorted(),
            links: Dictionary(grouping: members, by: \.link).mapValues(\.count), members: members)
    }

    init(id: String, size: Int, languages: [String], links: [RelatedFile.Link: Int], members: [ClusterMember])
    {
        self.id = id
        self.size = size
        self.languages = languages
        self.links = links
        self.members = members
    }
}

/// A file in a cluster and its strongest link to the rest of it.
public struct ClusterMember: Sendable, Equatable {
    public var path: RelativePath
    public var title: String?
    public var language: String?
    /// exact: another file has the same bytes; normalised: another content has the same
    /// normalised text; near: the strongest verified near-duplicate edge (`jaccard`).
    public var link: RelatedFile.Link
    public var jaccard: Double?
}

/// One search result.
public struct SearchHit: Sendable, Equatable {
    public var path: RelativePath
    /// Other files with the same bytes.
    public var copies: Int
    public var title: String?
    public var language: String?
    /// bm25 score (lower is better, as SQLite reports it).
    public var rank: Double
}

extension AppDatabase {
    /// The analysis facts of the content at `path`, if the file is catalogued with content.
    public func facts(of path: RelativePath) throws -> ContentFacts? {
        try writer.read { db in try Self.facts(db, of: path) }
    }

    static func facts(_ db: Database, of path: RelativePath) throws -> ContentFacts? {
        var facts: ContentFacts?
        try RawStatement(
            db,
            """
            SELECT c.lang, c.lang_confidence, c.script, c.title, c.title_source, c.published_ns, c.norm_hash, c.cluster
            FROM files f JOIN contents c ON c.id = f.content_id WHERE f.path = ?
            """
        ).query([.blob(path.bytes)]) { row in
            facts = ContentFacts(
                language: row.optionalText(0), languageConfidence: row.optionalReal(1),
                script: row.optionalText(2),
                title: row.optionalText(3), titleSource: row.optionalText(4),
                published: row.optionalInt(5).map { Date(timeIntervalSince1970: Double($0) / 1e9) },
                normalizedHash: row.optionalBlob(6), cluster: row.optionalText(7))
        }
        return facts
    }

    /// The exact, normalised and near duplicates of the file at `path` (other files only).
    public func duplicates(of path: RelativePath) throws -> [RelatedFile] {
        try writer.read { db in try Self.duplicates(db, of: path) }
    }

    static func duplicates(_ db: Database, of path: RelativePath) throws -> [RelatedFile] {
        var related: [RelatedFile] = []
        let paths = RawStatement.self
        // Same bytes.
        try paths.init(
            db,
            """
            SELECT o.path FROM files f JOIN files o ON o.content_id = f.content_id AND o.id <> f.id
            WHERE f.path = ? ORDER BY o.path
            """
        ).query([.blob(path.bytes)]) {
            related.append(RelatedFile(path: RelativePath(bytes: $0.blob(0)), link: .exact))
        }
        // Same normalised text, other bytes.
        try paths.init(
            db,
            """
            SELECT o.path FROM files f JOIN contents c ON c.id = f.content_id
            JOIN contents oc ON oc.norm_hash = c.norm_hash AND oc.id <> c.id
            JOIN files o ON o.content_id = oc.id
            WHERE f.path = ? ORDER BY o.path
            """
        ).query([.blob(path.bytes)]) {
            related.append(RelatedFile(path: RelativePath(bytes: $0.blob(0)), link: .normalized))
        }
        // Verified near duplicates.
        try paths.init(
            db,
            """
            SELECT o.path, e.jaccard, e.containment FROM files f
            JOIN near_edges e ON e.a = f.content_id OR e.b = f.content_id
            JOIN files o ON o.content_id = (CASE WHEN e.a = f.content_id THEN e.b ELSE e.a END)
            WHERE f.path = ? ORDER BY e.jaccard DESC, o.path
            """
        ).query([.blob(path.bytes)]) {
            related.append(
                RelatedFile(
                    path: RelativePath(bytes: $0.blob(0)), link: .near, jaccard: $0.real(1),
                    containment: $0.real(2)))
        }
        // Each file once, under its strongest link (a normalised copy is also a near one).
        var seen: Set<RelativePath> = []
        return related.filter { seen.insert($0.path).inserted }
    }

    /// Clusters of two or more files, largest first, each with all its members or the first
    /// `members` in path order.
    public func clusters(limit: Int = 100, offset: Int = 0, members: Int? = nil) throws -> [ClusterSummary] {
        try writer.read { db in try Self.clusters(db, limit: limit, offset: offset, members: members) }
    }

    static func clusters(_ db: Database, limit: Int, offset: Int, members: Int? = nil) throws
        -> [ClusterSummary]
    {
        var ids: [String] = []
        try RawStatement(db, clusterOrderSQL + " LIMIT ? OFFSET ?").query([
            .int(Int64(limit)), .int(Int64(offset)),
        ]) { ids.append($0.text(0)) }
        return try summaries(db, ids, members: members)
    }

    /// The ids of the clusters of two or more files, largest first, then by id.
    static let clusterOrderSQL = """
        SELECT c.cluster FROM files f JOIN contents c ON c.id = f.content_id
        GROUP BY c.cluster HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, c.cluster
        """

    /// The clusters `ids` in that order, each with all its members or the first `members` in
    /// path order; one with fewer than two files now is left out.
    static func summaries(_ db: Database, _ ids: [String], members memberLimit: Int?) throws
        -> [ClusterSummary]
    {
        guard let memberLimit else {
            return try ids.map { id in ClusterSummary(id: id, members: try Self.members(db, cluster: id)) }
                .filter { $0.size > 1 }
        }
        // Capped: the counts from one pass over each cluster's contents, and only the listed
        // members read and linked, so a page that holds a story republished 8,000 times does
        // not read out, link and send 8,000 members.
        return try ids.compactMap { id in
            let tally = try ClusterTally(db, cluster: id)
            guard tally.size > 1 else { return nil }
            let page = try Self.memberPage(db, cluster: id, first: nil, offset: 0, limit: memberLimit)
            return ClusterSummary(
                id: id, size: tally.size, languages: tally.languages, links: tally.links,
                members: page.map(\.member))
        }
    }

    /// The number of clusters of two or more files.
    public func clusterCount() throws -> Int {
        try writer.read { db in try Self.clusterCount(db) }
    }

    static func clusterCount(_ db: Database) throws -> Int {
        var count = 0
        try RawStatement(
            db,
            """
            SELECT COUNT(*) FROM (SELECT 1 FROM files f JOIN contents c ON c.id = f.content_id
            GROUP BY c.cluster HAVING COUNT(*) > 1)
            """
        ).query([]) { count = Int($0.int(0)) }
        return count
    }

    static func members(_ db: Database, cluster: String) throws -> [ClusterMember] {
        var rows: [ClusterMemberRow] = []
        try RawStatement(db, ClusterMemberRow.select + " WHERE c.cluster = ? ORDER BY f.path").query([
            .text(cluster)
        ]) { rows.append(ClusterMemberRow($0)) }
        // The cluster's near edges in one statement, not one per content.
        var best: [Int64: Double] = [:]
        try RawStatement(
            db,
            """
            SELECT e.a, e.b, e.jaccard FROM contents c JOIN near_edges e ON e.a = c.id
            JOIN contents o ON o.id = e.b WHERE c.cluster = ?1 AND o.cluster = ?1
            """
        ).query([.text(cluster)]) { row in
            let (a, b, jaccard) = (row.int(0), row.int(1), row.real(2))
            best[a] = max(best[a] ?? 0, jaccard)
            best[b] = max(best[b] ?? 0, jaccard)
        }
        // Counted once, so that a story republished 8,000 times costs 8,000 steps here, not
        // 8,000 squared.
        var filesPerContent: [Int64: Int] = [:]
        var contentsPerNorm: [[UInt8]: Set<Int64>] = [:]
        for row in rows {
            filesPerContent[row.content, default: 0] += 1
            if let norm = row.norm { contentsPerNorm[norm, default: []].insert(row.content) }
        }
        return rows.map { row in
            row.member(
                sameBytes: filesPerContent[row.content, default: 0] > 1,
                sameNormalisedText: row.norm.map { contentsPerNorm[$0, default: []].count > 1 } ?? false,
                jaccard: { best[row.content] })
        }
    }

    /// How many of a query's newest matches a search ranks (more when a page reaches past
    /// them). On the 256,000-article archive of `bench/archive.py`, the four commonest words
    /// take 3.4-3.7 ms ranked among their newest 2,000 and 64-75 ms ranked in full (SQLite's
    /// own query, best of five).
    public static let rankedMatches = 2_000

    /// Full-text search: the query is normalised like the texts (so ي finds ی, 2024 finds ۲۰۲۴,
    /// a word finds its forms with or without ZWNJ or harakat); every token must match (a
    /// trailing `*` matches a prefix). Best first, among the newest `rankedMatches` matches (by
    /// catalogue order) when there are more: FTS5 computes bm25 for every match before a
    /// `LIMIT`, so a common word would cost time in proportion to the archive, while it walks a
    /// word's matches newest first and stops at the bound (`bench/search.py`). The page is
    /// ranked first and only its rows are joined to their contents and files.
    public func search(
        _ query: String, limit: Int = 20, offset: Int = 0, rankedMatches: Int = AppDatabase.rankedMatches
    ) throws -> [SearchHit] {
        guard let match = SearchQuery.ftsExpression(query) else { return [] }
        return try writer.read { db in
            try Self.search(db, match: match, limit: limit, offset: offset, rankedMatches: rankedMatches)
        }
    }

    /// `search`'s query for the FTS5 expression `match`.
    static func search(_ db: Database, match: String, limit: Int, offset: Int, rankedMatches: Int) throws
        -> [SearchHit]
    {
        var hits: [SearchHit] = []
        try RawStatement(
            db,
            """
            SELECT (SELECT f.path FROM files f WHERE f.content_id = top.id ORDER BY f.path LIMIT 1),
                   (SELECT COUNT(*) FROM files f WHERE f.content_id = top.id),
                   c.title, c.lang, top.score
            FROM (SELECT id, score FROM (
                      SELECT rowid AS id, bm25(search, 3.0, 1.0) AS score FROM search
                      WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?)
                  ORDER BY score LIMIT ? OFFSET ?) AS top
            JOIN contents c ON c.id = top.id
            ORDER BY top.score
            """
        ).query([
            .text(match), .int(Int64(max(rankedMatches, offset + limit))), .int(Int64(limit)),
            .int(Int64(offset)),
        ]) { row in
            guard let path = row.optionalBlob(0) else { return }
            hits.append(
                SearchHit(
                    path: RelativePath(bytes: path), copies: Int(row.int(1)) - 1,
                    title: row.optionalText(2),
                    language: row.optionalText(3), rank: row.real(4)))
        }
        return hits
    }
}

extension SearchQuery {
    /// The FTS5 MATCH expression over the query's normalised tokens, or nil when nothing
    /// searchable is left.
    static func ftsExpression(_ query: String) -> String? {
        let terms = tokens(query).map { term in
            "\"" + term.token.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (term.prefix ? "*" : "")
        }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }
}
