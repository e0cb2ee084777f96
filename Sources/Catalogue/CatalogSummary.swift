import GRDB

/// Counts that describe the catalogue as a whole.
public struct CatalogSummary: Sendable, Equatable {
    /// Catalogued regular files, in any state.
    public var files: Int
    /// Entries listed but never opened (symlinks, FIFOs, sockets, devices).
    public var skipped: Int
    /// Distinct byte contents.
    public var contents: Int
    /// Sets of two or more files with identical bytes.
    public var duplicateGroups: Int
    /// Files (and unlistable directories) in the error state.
    public var errors: Int
    /// The newest change-log sequence number (0 when the log is empty).
    public var lastSeq: Int64
}

extension AppDatabase {
    /// The catalogue's counts, from one read transaction.
    public func summary() throws -> CatalogSummary {
        try writer.read { db in try Self.summary(db) }
    }

    static func summary(_ db: Database) throws -> CatalogSummary {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT
                  (SELECT COUNT(*) FROM files WHERE kind = 'file'),
                  (SELECT COUNT(*) FROM files WHERE state = 'skipped'),
                  (SELECT COUNT(*) FROM contents),
                  (SELECT COUNT(*) FROM (SELECT content_id FROM files WHERE content_id IS NOT NULL
                                         GROUP BY content_id HAVING COUNT(*) > 1)),
                  (SELECT COUNT(*) FROM files WHERE state = 'error'),
                  (SELECT COALESCE(MAX(seq), 0) FROM changes)
                """)
        guard let row else {
            return CatalogSummary(
                files: 0, skipped: 0, contents: 0, duplicateGroups: 0, errors: 0, lastSeq: 0)
        }
        return CatalogSummary(
            files: row[0], skipped: row[1], contents: row[2], duplicateGroups: row[3], errors: row[4],
            lastSeq: row[5])
    }
}
