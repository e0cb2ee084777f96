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
            var size = 0
            try RawStatement(
                db, "SELECT COUNT(*) FROM files f JOIN contents c ON c.id = f.content_id WHERE c.cluster = ?1"
            ).query([.text(cluster)]) { size = Int($0.int(0)) }
            return (
                size, try Self.memberPage(db, cluster: cluster, first: first, offset: offset, limit: limit)
            )
        }
    }

    /// The members of `clusterMembers`' page, inside a read.
    static func memberPage(_ db: Database, cluster: String, first: RelativePath?, offset: Int, limit: Int)
        throws
        -> [ClusterMemberPageEntry]
    {
        // The list is the named file (when it is a member), then the others in path order;
        // the page is `limit` of it from `offset`.
        var head: [ClusterMemberRow] = []
        if let first {
            try RawStatement(db, ClusterMemberRow.select + " WHERE c.cluster = ?1 AND f.path = ?2").query(
                [
                    .text(cluster), .blob(first.bytes),
                ]) { head.append(ClusterMemberRow($0)) }
        }
        var rows = Array(head.dropFirst(offset).prefix(limit))
        let skip = max(0, offset - head.count)
        if rows.count < limit {
            try RawStatement(
                db,
                ClusterMemberRow.select
                    + " WHERE c.cluster = ?1 AND f.path != ?2 ORDER BY f.path LIMIT ?3 OFFSET ?4"
            ).query([
                .text(cluster), .blob(head.first?.path ?? []), .int(Int64(limit - rows.count)),
                .int(Int64(skip)),
            ]) { rows.append(ClusterMemberRow($0)) }
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
            let member = try row.member(sameBytes: files > 1, sameNormalisedText: normalised) {
                var jaccard: Double?
                try strongest.query([.int(row.content), .text(cluster)]) { jaccard = $0.optionalReal(0) }
                return jaccard
            }
            return ClusterMemberPageEntry(
                member: member,
                published: row.published.map { Date(timeIntervalSince1970: Double($0) / 1e9) })
        }
        return entries
    }

    /// Every cluster of two or more files, largest first, then by id: the order `clusters`
    /// pages through.
    public func clusterOrder() async throws -> [String] {
        try await writer.read { db in
            var ids: [String] = []
            try RawStatement(db, Self.clusterOrderSQL).query([]) { ids.append($0.text(0)) }
            return ids
        }
    }

    /// The clusters `ids`, in that order, each with all its members or the first `members` in
    /// path order; one with fewer than two files now is left out.
    public func clusterSummaries(_ ids: [String], members: Int?) async throws -> [ClusterSummary] {
        try await writer.read { db in try Self.summaries(db, ids, members: members) }
    }

    /// A page of clusters, largest first, without counting them all (`clusterPage` does both).
    public func clusterPageOnly(limit: Int, offset: Int, members: Int?) async throws -> [ClusterSummary] {
        try await writer.read { db in try Self.clusters(db, limit: limit, offset: offset, members: members) }
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
