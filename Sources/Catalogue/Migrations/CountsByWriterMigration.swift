import GRDB

/// `v6-counts-kept-by-writer`: the count triggers of `v2-control-counts` dropped; the writer
/// adds each transaction's deltas itself (`CountDeltas`). The counts are recomputed once here,
/// so a catalogue whose counts were ever off starts from the truth.
enum CountsByWriterMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TRIGGER catalog_counts_file_insert;
                DROP TRIGGER catalog_counts_file_delete;
                DROP TRIGGER catalog_counts_file_update;
                DROP TRIGGER catalog_counts_content_insert;
                DROP TRIGGER catalog_counts_content_delete;
                UPDATE catalog_counts SET
                    files = (SELECT COUNT(*) FROM files WHERE kind = 'file'),
                    skipped = (SELECT COUNT(*) FROM files WHERE state = 'skipped'),
                    contents = (SELECT COUNT(*) FROM contents),
                    duplicate_groups = (SELECT COUNT(*) FROM (SELECT content_id FROM files WHERE content_id IS NOT NULL
                                                              GROUP BY content_id HAVING COUNT(*) > 1)),
                    errors = (SELECT COUNT(*) FROM files WHERE state = 'error')
                WHERE id = 1;
                """)
    }
}
