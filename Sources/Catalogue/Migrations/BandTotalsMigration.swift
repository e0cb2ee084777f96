import GRDB

/// `v13-band-totals`: the totals of `content_bands` that stamp the candidate index file
/// (`BandFile.Stamp`), kept by triggers instead of summed over the table each time the file is
/// opened or closed (0.05 s a sum at 256,000 articles, twice in every `newsd scan`). Triggers,
/// not the writer's deltas, so no way of changing the rows (a cascade from `contents`
/// included) can leave a stale file looking current.
///
/// `generation` counts the rows' changes: a content re-analysed into as many keys leaves the
/// count and the keys as they were, not the generation. It starts at the highest content id,
/// which is what the stamp held before, so a file closed cleanly before the migration is
/// still recognised.
enum BandTotalsMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE band_totals (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    rows INTEGER NOT NULL,
                    keys INTEGER NOT NULL,
                    generation INTEGER NOT NULL
                );
                INSERT INTO band_totals(id, rows, keys, generation)
                    SELECT 1, count(*), coalesce(sum(length(keys)), 0) / 4, coalesce(max(content_id), 0)
                    FROM content_bands;
                CREATE TRIGGER band_totals_insert AFTER INSERT ON content_bands BEGIN
                    UPDATE band_totals SET rows = rows + 1, keys = keys + length(new.keys) / 4,
                        generation = generation + 1 WHERE id = 1;
                END;
                CREATE TRIGGER band_totals_delete AFTER DELETE ON content_bands BEGIN
                    UPDATE band_totals SET rows = rows - 1, keys = keys - length(old.keys) / 4,
                        generation = generation + 1 WHERE id = 1;
                END;
                CREATE TRIGGER band_totals_update AFTER UPDATE OF content_id, keys ON content_bands BEGIN
                    UPDATE band_totals SET keys = keys - length(old.keys) / 4 + length(new.keys) / 4,
                        generation = generation + 1 WHERE id = 1;
                END;
                """)
    }
}
