import Dedup
import GRDB

/// The catalogue's schema history. Never edit a migration that has shipped: add a new one.
///
/// Paths and hashes are BLOBs so that file names which are not UTF-8 survive byte for byte.
/// The CHECK constraints spell out the invariants the rest of the code relies on.
enum CatalogMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-files-contents-changes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE contents (
                        id INTEGER PRIMARY KEY,
                        sha256 BLOB NOT NULL UNIQUE CHECK (length(sha256) = 32),
                        size INTEGER NOT NULL CHECK (size >= 0),
                        is_text INTEGER NOT NULL CHECK (is_text IN (0, 1))
                    );
                    CREATE TABLE files (
                        id INTEGER PRIMARY KEY,
                        path BLOB NOT NULL UNIQUE CHECK (length(path) > 0),
                        kind TEXT NOT NULL CHECK (kind IN ('file', 'directory', 'symlink', 'fifo', 'socket',
                                                           'block-device', 'char-device', 'unknown')),
                        dev INTEGER NOT NULL,
                        ino INTEGER NOT NULL,
                        size INTEGER NOT NULL CHECK (size >= 0),
                        mtime_ns INTEGER NOT NULL,
                        ctime_ns INTEGER NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('ok', 'error', 'skipped')),
                        reason TEXT,
                        content_id INTEGER REFERENCES contents(id) ON DELETE RESTRICT,
                        verified_ns INTEGER NOT NULL,
                        CHECK ((state = 'ok') = (reason IS NULL)),
                        CHECK (state <> 'ok' OR content_id IS NOT NULL),
                        CHECK ((state = 'skipped') = (kind NOT IN ('file', 'directory'))),
                        CHECK (state <> 'skipped' OR content_id IS NULL),
                        CHECK (kind <> 'directory' OR (state = 'error' AND content_id IS NULL))
                    );
                    CREATE INDEX files_content ON files(content_id);
                    CREATE INDEX files_inode ON files(dev, ino);
                    CREATE TABLE changes (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        op TEXT NOT NULL CHECK (op IN ('add', 'modify', 'rename', 'delete')),
                        path BLOB NOT NULL CHECK (length(path) > 0),
                        from_path BLOB,
                        sha256 BLOB CHECK (sha256 IS NULL OR length(sha256) = 32),
                        state TEXT NOT NULL CHECK (state IN ('ok', 'error', 'skipped')),
                        at_ns INTEGER NOT NULL,
                        CHECK ((op = 'rename') = (from_path IS NOT NULL))
                    );
                    """)
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES ('epoch', lower(hex(randomblob(8))))")
        }
        migrator.registerMigration("v2-analysis") { db in
            // What the text analysis adds to a content: its normalised-duplicate key, language,
            // title, date, MinHash signature and cluster. `analysis_version` is NULL until the
            // content has been analysed (binary contents never are; contents catalogued by an
            // older newsd are analysed by the backfill on the first start).
            try db.execute(
                sql: """
                    ALTER TABLE contents ADD COLUMN analysis_version INTEGER;
                    ALTER TABLE contents ADD COLUMN norm_hash BLOB CHECK (norm_hash IS NULL OR length(norm_hash) = 32);
                    ALTER TABLE contents ADD COLUMN lang TEXT;
                    ALTER TABLE contents ADD COLUMN lang_confidence REAL;
                    ALTER TABLE contents ADD COLUMN script TEXT;
                    ALTER TABLE contents ADD COLUMN title TEXT;
                    ALTER TABLE contents ADD COLUMN title_source TEXT;
                    ALTER TABLE contents ADD COLUMN published_ns INTEGER;
                    ALTER TABLE contents ADD COLUMN cluster TEXT;
                    UPDATE contents SET cluster = lower(hex(substr(sha256, 1, 8)));
                    CREATE INDEX contents_norm ON contents(norm_hash);
                    CREATE INDEX contents_lang ON contents(lang);
                    CREATE INDEX contents_cluster ON contents(cluster);
                    CREATE INDEX contents_pending_analysis ON contents(id) WHERE analysis_version IS NULL AND is_text = 1;

                    -- The lines left out of a text's fingerprint, with their reasons (JSON), for
                    -- auditing. (The original text is not copied: the file is the source of
                    -- truth, read when shown.)
                    CREATE TABLE content_audit (
                        content_id INTEGER PRIMARY KEY REFERENCES contents(id) ON DELETE CASCADE,
                        boilerplate TEXT NOT NULL
                    );
                    -- Full-text search over the normalised, chrome-free title and body; rowid is
                    -- the content id. The body is also the fingerprint text: the shingles and
                    -- the MinHash signature are recomputed from it when a candidate pair is
                    -- verified or a content's band entries are removed. (A plain FTS5 table that
                    -- keeps its own copy: measured 40% faster to fill than an external-content
                    -- one fed by triggers.)
                    CREATE VIRTUAL TABLE search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0');
                    CREATE TRIGGER contents_delete_search AFTER DELETE ON contents BEGIN
                        DELETE FROM search WHERE rowid = old.id;
                    END;
                    -- LSH band keys: contents that share a key are near-duplicate candidates. One
                    -- integer per (band key, content): the band key's low 31 bits above the
                    -- content id, so the whole index is one compact integer B-tree (a separate
                    -- key column with its own index cost three times the space and most of a
                    -- cold ingest). A band's contents are the range key<<32 ... key<<32 | 2^32-1.
                    CREATE TABLE lsh_bands (entry INTEGER PRIMARY KEY);
                    -- Verified near-duplicate pairs (a < b).
                    CREATE TABLE near_edges (
                        a INTEGER NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
                        b INTEGER NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
                        jaccard REAL NOT NULL CHECK (jaccard BETWEEN 0 AND 1),
                        containment REAL NOT NULL CHECK (containment BETWEEN 0 AND 1),
                        strength REAL NOT NULL CHECK (strength BETWEEN 0 AND 1),
                        PRIMARY KEY (a, b),
                        CHECK (a < b)
                    ) WITHOUT ROWID;
                    CREATE INDEX near_edges_b ON near_edges(b);
                    """)
        }
        // Independent of the other v2 migrations: it only adds a table and triggers.
        migrator.registerMigration("v2-control-counts", migrate: CatalogCountsMigration.migrate)
        migrator.registerMigration("v3-content-bands", migrate: ContentBandsMigration.migrate)
        migrator.registerMigration("v4-check-lists", migrate: CheckListsMigration.migrate)
        migrator.registerMigration("v5-search-ascii-tokenizer", migrate: SearchTokenizerMigration.migrate)
        migrator.registerMigration("v6-counts-kept-by-writer", migrate: CountsByWriterMigration.migrate)
        migrator.registerMigration("v7-chrome-evidence", migrate: ChromeEvidenceMigration.migrate)
        migrator.registerMigration("v8-search-merges-when-idle", migrate: AppDatabase.deferSearchMerges)
        migrator.registerMigration("v9-search-crisis-merge-64", migrate: AppDatabase.raiseSearchCrisisMerge)
        migrator.registerMigration("v10-bounded-near-links", migrate: BoundedNearLinksMigration.migrate)
        migrator.registerMigration("v11-content-sketches", migrate: ContentSketchMigration.migrate)
        return migrator
    }
}
