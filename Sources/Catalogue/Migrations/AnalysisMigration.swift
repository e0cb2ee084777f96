import GRDB

/// `v2-analysis`: the columns and tables of the text analysis and near-duplicate detection.
enum AnalysisMigration {
    static func migrate(_ db: Database) throws {
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
}
