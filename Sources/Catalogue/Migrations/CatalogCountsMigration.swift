import GRDB

/// `v2-control-counts`: the catalogue's counts kept current by triggers, so that `status`
/// costs the same on a million files as on ten (counting them on each request takes 25 ms at
/// 26,000 files, far over the control socket's 5 ms budget).
///
/// One row, updated in the same transaction as every insert, delete and update of `files`
/// and `contents`. A duplicate group forms when a content gains its second file and dissolves
/// when it drops back to one; the triggers check that with the `files_content` index.
/// (`v6-counts-kept-by-writer` replaced the triggers with deltas the writer adds itself.)
enum CatalogCountsMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE catalog_counts (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    files INTEGER NOT NULL CHECK (files >= 0),
                    skipped INTEGER NOT NULL CHECK (skipped >= 0),
                    contents INTEGER NOT NULL CHECK (contents >= 0),
                    duplicate_groups INTEGER NOT NULL CHECK (duplicate_groups >= 0),
                    errors INTEGER NOT NULL CHECK (errors >= 0)
                );
                INSERT INTO catalog_counts(id, files, skipped, contents, duplicate_groups, errors) SELECT 1,
                    (SELECT COUNT(*) FROM files WHERE kind = 'file'),
                    (SELECT COUNT(*) FROM files WHERE state = 'skipped'),
                    (SELECT COUNT(*) FROM contents),
                    (SELECT COUNT(*) FROM (SELECT content_id FROM files WHERE content_id IS NOT NULL
                                           GROUP BY content_id HAVING COUNT(*) > 1)),
                    (SELECT COUNT(*) FROM files WHERE state = 'error');
                CREATE TRIGGER catalog_counts_file_insert AFTER INSERT ON files BEGIN
                    UPDATE catalog_counts SET
                        files = files + (NEW.kind = 'file'),
                        skipped = skipped + (NEW.state = 'skipped'),
                        errors = errors + (NEW.state = 'error'),
                        duplicate_groups = duplicate_groups + (NEW.content_id IS NOT NULL AND
                            (SELECT COUNT(*) FROM files WHERE content_id = NEW.content_id) = 2)
                    WHERE id = 1;
                END;
                CREATE TRIGGER catalog_counts_file_delete AFTER DELETE ON files BEGIN
                    UPDATE catalog_counts SET
                        files = files - (OLD.kind = 'file'),
                        skipped = skipped - (OLD.state = 'skipped'),
                        errors = errors - (OLD.state = 'error'),
                        duplicate_groups = duplicate_groups - (OLD.content_id IS NOT NULL AND
                            (SELECT COUNT(*) FROM files WHERE content_id = OLD.content_id) = 1)
                    WHERE id = 1;
                END;
                CREATE TRIGGER catalog_counts_file_update AFTER UPDATE OF kind, state, content_id ON files BEGIN
                    UPDATE catalog_counts SET
                        files = files + (NEW.kind = 'file') - (OLD.kind = 'file'),
                        skipped = skipped + (NEW.state = 'skipped') - (OLD.state = 'skipped'),
                        errors = errors + (NEW.state = 'error') - (OLD.state = 'error'),
                        duplicate_groups = duplicate_groups
                            - (OLD.content_id IS NOT NULL AND OLD.content_id IS NOT NEW.content_id AND
                               (SELECT COUNT(*) FROM files WHERE content_id = OLD.content_id) = 1)
                            + (NEW.content_id IS NOT NULL AND OLD.content_id IS NOT NEW.content_id AND
                               (SELECT COUNT(*) FROM files WHERE content_id = NEW.content_id) = 2)
                    WHERE id = 1;
                END;
                CREATE TRIGGER catalog_counts_content_insert AFTER INSERT ON contents BEGIN
                    UPDATE catalog_counts SET contents = contents + 1 WHERE id = 1;
                END;
                CREATE TRIGGER catalog_counts_content_delete AFTER DELETE ON contents BEGIN
                    UPDATE catalog_counts SET contents = contents - 1 WHERE id = 1;
                END;
                """)
    }
}
