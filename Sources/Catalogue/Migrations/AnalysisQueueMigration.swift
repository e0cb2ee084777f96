import GRDB

/// `v14-analysis-queue`: what waits for text analysis is found through indexes, not a pass
/// over the catalogue, so a `newsd scan` or a daemon start costs the same whatever the
/// catalogue's size (the pass took 0.08 s at 256,000 articles, and ran twice a scan).
///
/// * Contents analysed by an older version, or never: an index on `analysis_version` (of text
///   contents), replacing the one on unanalysed contents alone.
/// * Contents whose stored analysis a changed chrome verdict contradicts: `analysis_queue`,
///   filled by the writer in the transaction that changes the verdict and emptied as each is
///   analysed again, where they were found before by joining every line's evidence with the
///   verdicts. It starts with what that join finds now.
enum AnalysisQueueMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX contents_pending_analysis;
                CREATE INDEX contents_analysis_version ON contents(analysis_version) WHERE is_text = 1;
                CREATE TABLE analysis_queue (
                    content_id INTEGER PRIMARY KEY REFERENCES contents(id) ON DELETE CASCADE
                );
                INSERT INTO analysis_queue(content_id)
                    SELECT DISTINCT e.content_id FROM line_evidence e LEFT JOIN chrome_lines k ON k.key = e.key
                    WHERE e.as_chrome IS NOT NULL AND e.as_chrome <> (k.key IS NOT NULL);
                """)
    }
}
