import Foundation
import GRDB
import NewsCore

/// A member of one cluster with its publication time, for the `cluster` method.
public struct ClusterMemberPageEntry: Sendable, Equatable {
    public var member: ClusterMember
    public var published: Date?
}

/// Reads for the `cluster` and `languages` methods.
extension AppDatabase {
    /// A page of one cluster's members (in path byte order, `first` moved to the front when it
    /// is a member) and the cluster's size, in one transaction. Only the page's rows are read
    /// and linked: a page of a story republished 8,000 times costs what a page of three does,
    /// bar the sort of its paths.
    public func clusterMembers(cluster: String, first: RelativePath?, offset: Int, limit: Int) async throws
        -> (size: Int, members: [ClusterMemberPageEntry])
    {
        try await writer.read { db in
            let columns = """
                SELECT f.path, c.id, c.norm_hash, c.title, c.lang, c.published_ns
                FROM files f JOIN contents c ON c.id = f.content_id
                """
            var size = 0
            try RawStatement(
                db, "SELECT COUNT(*) FROM files f JOIN contents c ON c.id = f.content_id WHERE c.cluster = ?1"
            ).query([.text(cluster)]) { size = Int($0.int(0)) }
            var rows: [PageRow] = []
            // The named file heads the list; the others follow in path order.
            var skip = offset
            var take = limit
            if let first {
                try RawStatement(db, columns + " WHERE c.cluster = ?1 AND f.path = ?2").query([
                    .text(cluster), .blob(first.bytes),
                ]) { rows.append(PageRow($0)) }
            }
            let excluded = rows.first?.path ?? []
            if !rows.isEmpty {
                if skip == 0 { take -= 1 } else { rows = [] }
                skip = max(0, skip - 1)
            }
            if take > 0 {
                try RawStatement(
                    db, columns + " WHERE c.cluster = ?1 AND f.path != ?2 ORDER BY f.path LIMIT ?3 OFFSET ?4"
                ).query([.text(cluster), .blob(excluded), .int(Int64(take)), .int(Int64(skip))]) {
                    rows.append(PageRow($0))
                }
            }
            let copies = try RawStatement(db, "SELECT COUNT(*) FROM files WHERE content_id = ?1")
            let sameNorm = try RawStatement(
                db,
                "SELECT EXISTS (SELECT 1 FROM contents WHERE norm_hash = ?1 AND id != ?2 AND cluster = ?3)")
            let strongest = try RawStatement(
                db,
                """
                SELECT MAX(e.jaccard) FROM (
                    SELECT b AS other, jaccard FROM near_edges WHERE a = ?1
                    UNION ALL SELECT a, jaccard FROM near_edges WHERE b = ?1
                ) e JOIN contents c ON c.id = e.other WHERE c.cluster = ?2
                """)
            let entries = try rows.map { row in
                var files = 0
                try copies.query([.int(row.content)]) { files = Int($0.int(0)) }
                var normalised = false
                if let norm = row.norm {
                    try sameNorm.query([.blob(norm), .int(row.content), .text(cluster)]) {
                        normalised = $0.int(0) != 0
                    }
                }
                let link: RelatedFile.Link = files > 1 ? .exact : (normalised ? .normalized : .near)
                var jaccard: Double?
                if link == .near {
                    try strongest.query([.int(row.content), .text(cluster)]) { jaccard = $0.optionalReal(0) }
                }
                return ClusterMemberPageEntry(
                    member: ClusterMember(
                        path: RelativePath(bytes: row.path), title: row.title, language: row.language,
                        link: link,
                        jaccard: jaccard),
                    published: row.published.map { Date(timeIntervalSince1970: Double($0) / 1e9) })
            }
            return (size, entries)
        }
    }

    /// A page of clusters, largest first, without counting them all (`clusterPage` does both).
    public func clusterPageOnly(limit: Int, offset: Int) async throws -> [ClusterSummary] {
        try await writer.read { db in try Self.clusters(db, limit: limit, offset: offset) }
    }

    /// Catalogued analysed texts per language, and the newest sequence number they include.
    public func languageCounts() async throws -> (counts: [String: Int], lastSeq: Int64) {
        try await writer.read { db in
            var counts: [String: Int] = [:]
            try RawStatement(
                db,
                """
                SELECT c.lang, COUNT(*) FROM files f JOIN contents c ON c.id = f.content_id
                WHERE c.lang IS NOT NULL GROUP BY c.lang
                """
            ).query([]) { row in counts[row.text(0)] = Int(row.int(1)) }
            return (counts, try Self.logBounds(db).last)
        }
    }
}

/// One member's row of a `clusterMembers` page.
private struct PageRow {
    var path: [UInt8]
    var content: Int64
    var norm: [UInt8]?
    var title: String?
    var language: String?
    var published: Int64?

    init(_ row: RawRow) {
        path = row.blob(0)
        content = row.int(1)
        norm = row.optionalBlob(2)
        title = row.optionalText(3)
        language = row.optionalText(4)
        published = row.optionalInt(5)
    }
}
