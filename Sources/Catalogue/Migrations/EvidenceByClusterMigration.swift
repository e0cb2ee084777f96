import GRDB

/// `v15-evidence-by-cluster`: `line_evidence` ordered by (line, cluster, content), its own
/// table serving the seeks from one cluster label to the next that count a line's clusters
/// (`ChromeEvidenceIndex`), where the table ordered by (line, content) carried a second index on
/// (line, cluster) for them.
///
/// Both were ordered by a line's hash, so every new article's lines landed on leaves at random
/// in each: past a few tens of thousands of articles a batch of new articles dirtied a leaf of
/// each for every line, and wrote it to the WAL. One such tree fewer is one leaf fewer per line.
/// A row whose content has no cluster label takes the empty label, which sorts before every
/// label and is never counted (the count seeks labels after it), as a missing one was not.
enum EvidenceByClusterMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE line_evidence_by_cluster (
                    key INTEGER NOT NULL,
                    cluster TEXT NOT NULL,
                    content_id INTEGER NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
                    as_chrome INTEGER CHECK (as_chrome IS NULL OR as_chrome = 0 OR as_chrome = 1),
                    PRIMARY KEY (key, cluster, content_id)
                ) WITHOUT ROWID;
                INSERT INTO line_evidence_by_cluster(key, cluster, content_id, as_chrome)
                    SELECT key, coalesce(cluster, ''), content_id, as_chrome FROM line_evidence
                    ORDER BY key, coalesce(cluster, ''), content_id;
                DROP TABLE line_evidence;
                ALTER TABLE line_evidence_by_cluster RENAME TO line_evidence;
                CREATE INDEX line_evidence_content ON line_evidence(content_id);
                """)
    }
}
