import Foundation
import GRDB
import NewsCore
import TextAnalysis

/// The reads behind the control socket. Each runs in one read transaction on GRDB's reader
/// pool through GRDB's async `read`: the calling task is suspended while a reader connection's
/// own queue runs the query, so no read blocks a thread of Swift's cooperative pool, and each
/// sees one consistent state beside the writer.
extension AppDatabase {
    /// Catalogued entries matching `filter`, in path byte order, after `after`, at most `limit`.
    public func files(matching filter: FileFilter, after: RelativePath?, limit: Int) async throws
        -> [CatalogFile]
    {
        try await writer.read { db in
            var conditions = ["f.path > ?"]
            var values: [RawStatement.Value] = [.blob(after?.bytes ?? [])]
            if let prefix = filter.prefix, !prefix.isRoot {
                conditions.append("f.path >= ?")
                values.append(.blob(prefix.bytes))
                if let upper = Self.prefixUpperBound(prefix.bytes) {
                    conditions.append("f.path < ?")
                    values.append(.blob(upper))
                }
            }
            if let state = filter.state {
                conditions.append("f.state = ?")
                values.append(.text(state.rawValue))
            }
            if let language = filter.language {
                conditions.append("c.lang = ?")
                values.append(.text(language))
            }
            values.append(.int(Int64(max(0, limit))))
            var result: [CatalogFile] = []
            try RawStatement(
                db,
                """
                SELECT \(CatalogFile.columns) FROM files f LEFT JOIN contents c ON c.id = f.content_id
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY f.path LIMIT ?
                """
            ).query(values) { result.append(CatalogFile(row: $0)) }
            return result
        }
    }

    /// The entry at `path` and the other entries with the same bytes, or `nil` when `path` is
    /// not catalogued.
    public func file(at path: RelativePath) async throws -> (file: CatalogFile, duplicates: [CatalogFile])? {
        try await writer.read { db in
            var found: CatalogFile?
            var contentID: Int64?
            try RawStatement(
                db,
                """
                SELECT \(CatalogFile.columns), f.content_id FROM files f
                LEFT JOIN contents c ON c.id = f.content_id WHERE f.path = ?
                """
            ).query([.blob(path.bytes)]) { row in
                found = CatalogFile(row: row)
                contentID = row.optionalInt(CatalogFile.columnCount)
            }
            guard let found else { return nil }
            var duplicates: [CatalogFile] = []
            if let contentID, found.copies > 1 {
                try RawStatement(
                    db,
                    """
                    SELECT \(CatalogFile.columns) FROM files f LEFT JOIN contents c ON c.id = f.content_id
                    WHERE f.content_id = ? AND f.path <> ? ORDER BY f.path
                    """
                ).query([.int(contentID), .blob(path.bytes)]) { duplicates.append(CatalogFile(row: $0)) }
            }
            return (found, duplicates)
        }
    }

    /// Sets of two or more entries with identical bytes, ordered by hash, after the group whose
    /// hash is `after`, at most `limit` groups.
    public func duplicateGroups(after: [UInt8]?, limit: Int) async throws -> [DuplicateGroup] {
        try await writer.read { db in
            var groups: [DuplicateGroup] = []
            try RawStatement(
                db,
                """
                WITH g AS (
                    SELECT c.id, c.sha256, c.size FROM contents c
                    WHERE c.sha256 > ? AND (SELECT COUNT(*) FROM files d WHERE d.content_id = c.id) > 1
                    ORDER BY c.sha256 LIMIT ?)
                SELECT g.sha256, g.size, \(CatalogFile.columns)
                FROM g JOIN files f ON f.content_id = g.id LEFT JOIN contents c ON c.id = f.content_id
                ORDER BY g.sha256, f.path
                """
            ).query([.blob(after ?? []), .int(Int64(max(0, limit)))]) { row in
                let sha = row.blob(0)
                let file = CatalogFile(row: row, offset: 2)
                if groups.last?.sha256 == sha {
                    groups[groups.count - 1].files.append(file)
                } else {
                    groups.append(DuplicateGroup(sha256: sha, size: row.int(1), files: [file]))
                }
            }
            return groups
        }
    }

    /// Change-log entries after `seq`, at most `limit`, with the log's bounds from the same
    /// transaction.
    public func changeWindow(after seq: Int64, limit: Int) async throws -> ChangeWindow {
        try await writer.read { db in
            let bounds = try Self.logBounds(db)
            var changes: [ChangeEntry] = []
            try RawStatement(
                db,
                """
                SELECT seq, op, path, from_path, sha256, state, at_ns FROM changes
                WHERE seq > ? ORDER BY seq LIMIT ?
                """
            ).query([.int(seq), .int(Int64(max(0, limit)))]) { row in
                changes.append(
                    ChangeEntry(
                        seq: row.int(0), op: ChangeEntry.Operation(rawValue: row.text(1)) ?? .modify,
                        path: RelativePath(bytes: row.blob(2)),
                        from: row.optionalBlob(3).map { RelativePath(bytes: $0) },
                        sha256: row.optionalBlob(4),
                        state: FileState(rawValue: row.text(5)) ?? .error, atNanoseconds: row.int(6)))
            }
            return ChangeWindow(changes: changes, lastSeq: bounds.last, prunedThrough: bounds.prunedThrough)
        }
    }

    /// Every catalogued entry and the change-log position they correspond to, in one transaction.
    public func snapshot() async throws -> CatalogSnapshot {
        try await writer.read { db in
            let bounds = try Self.logBounds(db)
            var files: [CatalogFile] = []
            try RawStatement(
                db,
                """
                SELECT \(CatalogFile.columns) FROM files f LEFT JOIN contents c ON c.id = f.content_id
                ORDER BY f.path
                """
            ).query([]) { files.append(CatalogFile(row: $0)) }
            return CatalogSnapshot(files: files, lastSeq: bounds.last, prunedThrough: bounds.prunedThrough)
        }
    }

    /// The catalogue's counts (kept by the writer, so this costs the same whatever the size of
    /// the tree) and the change log's bounds, read on the reader pool in one transaction.
    public func readSummary() async throws -> (summary: CatalogSummary, prunedThrough: Int64) {
        try await writer.read { db in try Self.keptSummary(db) }
    }

    /// What `show` adds from the analysis: the facts and the related files, in one transaction.
    public func analysisDetail(of path: RelativePath) async throws -> (
        facts: ContentFacts?, related: [RelatedFile]
    ) {
        try await writer.read { db in (try Self.facts(db, of: path), try Self.duplicates(db, of: path)) }
    }

    /// A page of clusters and the number of clusters, in one transaction.
    public func clusterPage(limit: Int, offset: Int, members: Int?) async throws
        -> (clusters: [ClusterSummary], total: Int)
    {
        try await writer.read { db in
            (try Self.clusters(db, limit: limit, offset: offset, members: members), try Self.clusterCount(db))
        }
    }

    /// Full-text search (see `search`).
    public func searchHits(_ query: String, limit: Int, offset: Int) async throws -> [SearchHit] {
        guard let match = SearchQuery.ftsExpression(query) else { return [] }
        let rankedMatches = AppDatabase.rankedMatches
        return try await writer.read { db in
            try Self.search(db, match: match, limit: limit, offset: offset, rankedMatches: rankedMatches)
        }
    }

    /// The catalogue's counts as the triggers keep them (`summary()` recounts them: the same
    /// figures, at a cost that grows with the tree), for `newsd scan`.
    public func keptSummary() throws -> CatalogSummary {
        try writer.read { db in try Self.keptSummary(db).summary }
    }

    static func keptSummary(_ db: Database) throws -> (summary: CatalogSummary, prunedThrough: Int64) {
        let bounds = try Self.logBounds(db)
        var summary = CatalogSummary(
            files: 0, skipped: 0, contents: 0, duplicateGroups: 0, errors: 0, lastSeq: bounds.last)
        try RawStatement(
            db,
            "SELECT files, skipped, contents, duplicate_groups, errors FROM catalog_counts WHERE id = 1"
        ).query([]) { row in
            summary.files = Int(row.int(0))
            summary.skipped = Int(row.int(1))
            summary.contents = Int(row.int(2))
            summary.duplicateGroups = Int(row.int(3))
            summary.errors = Int(row.int(4))
        }
        return (summary, bounds.prunedThrough)
    }

    /// The size of the write-ahead log file in bytes (0 when there is none).
    public var walBytes: Int64 {
        var st = stat()
        guard stat(path + "-wal", &st) == 0 else { return 0 }
        return Int64(st.st_size)
    }

    /// The newest sequence number and the pruning mark.
    static func logBounds(_ db: Database) throws -> (last: Int64, prunedThrough: Int64) {
        var last: Int64 = 0
        var pruned: Int64 = 0
        try RawStatement(
            db,
            """
            SELECT (SELECT COALESCE(MAX(seq), 0) FROM changes),
                   (SELECT value FROM meta WHERE key = 'pruned_through')
            """
        ).query([]) { row in
            last = row.int(0)
            pruned = Int64(row.optionalText(1) ?? "0") ?? 0
        }
        return (max(last, pruned), pruned)
    }

    /// The smallest byte string greater than every string starting with `prefix` (`nil` when
    /// there is none: the prefix is all 0xFF bytes).
    static func prefixUpperBound(_ prefix: [UInt8]) -> [UInt8]? {
        var upper = prefix
        while let last = upper.last {
            if last < 0xFF {
                upper[upper.count - 1] = last + 1
                return upper
            }
            upper.removeLast()
        }
        return nil
    }
}
