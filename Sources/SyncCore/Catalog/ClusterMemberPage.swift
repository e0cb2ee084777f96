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
    /// is a member) and the cluster's size, in one transaction.
    public func clusterMembers(cluster: String, first: RelativePath?, offset: Int, limit: Int) async throws
        -> (size: Int, members: [ClusterMemberPageEntry])
    {
        try await writer.read { db in
            var members = try Self.members(db, cluster: cluster)
            if let first, let index = members.firstIndex(where: { $0.path == first }) {
                members.insert(members.remove(at: index), at: 0)
            }
            let page = members.dropFirst(offset).prefix(limit)
            let published = try RawStatement(
                db,
                """
                SELECT c.published_ns FROM files f JOIN contents c ON c.id = f.content_id WHERE f.path = ?
                """)
            var entries: [ClusterMemberPageEntry] = []
            for member in page {
                var date: Date?
                try published.query([.blob(member.path.bytes)]) { row in
                    date = row.optionalInt(0).map { Date(timeIntervalSince1970: Double($0) / 1e9) }
                }
                entries.append(ClusterMemberPageEntry(member: member, published: date))
            }
            return (members.count, entries)
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
