import GRDB

/// `v7-chrome-evidence`: the short lines of every analysed text (`line_evidence`) and the
/// lines judged corpus chrome from them (`chrome_lines`); see `ChromeEvidence`.
///
/// Contents analysed before have no evidence rows: `ContentAnalysis.currentVersion` 2 makes
/// the backfill analyse them again (in the background, change log untouched).
enum ChromeEvidenceMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                -- One row per (short line, content); as_chrome: 1 if the content's stored
                -- analysis left the line out as corpus chrome, 0 if it used the line (body,
                -- search, title), NULL if it left it out for another reason (no verdict
                -- matters). A row whose as_chrome disagrees with chrome_lines marks its
                -- content for analysis again.
                CREATE TABLE line_evidence (
                    key INTEGER NOT NULL,
                    content_id INTEGER NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
                    as_chrome INTEGER CHECK (as_chrome IS NULL OR as_chrome = 0 OR as_chrome = 1),
                    PRIMARY KEY (key, content_id)
                ) WITHOUT ROWID;
                CREATE INDEX line_evidence_content ON line_evidence(content_id);
                -- The current verdicts, with the number of distinct clusters behind each.
                CREATE TABLE chrome_lines (
                    key INTEGER PRIMARY KEY,
                    clusters INTEGER NOT NULL CHECK (clusters > 0)
                );
                """)
    }
}
