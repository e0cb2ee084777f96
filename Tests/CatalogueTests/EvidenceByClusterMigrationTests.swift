import Foundation
import GRDB
import TestSupport
import Testing

@testable import Catalogue

@Suite struct EvidenceByClusterMigrationTests {
    /// A catalogue whose evidence table was ordered by (line, content), with a second index for
    /// the cluster seeks, keeps every row: a row without a label takes the empty one, the
    /// table is ordered by (line, cluster, content), the second index is gone, and deleting a
    /// content still takes its rows with it.
    @Test func evidenceRowsMoveToTheClusterOrderedTable() throws {
        let scratch = try Scratch("evidence-by-cluster")
        let path = scratch.url("catalog.sqlite")
        let pool = try DatabasePool(path: path)
        try CatalogMigrations.migrator.migrate(pool, upTo: "v14-analysis-queue")
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO contents(id, sha256, size, is_text, cluster) VALUES
                        (1, randomblob(32), 3, 1, 'aa'), (2, randomblob(32), 3, 1, 'bb'),
                        (3, randomblob(32), 3, 1, NULL);
                    INSERT INTO line_evidence(key, content_id, as_chrome, cluster) VALUES
                        (7, 1, 0, 'aa'), (7, 2, NULL, 'bb'), (9, 2, 1, 'bb'), (7, 3, 0, NULL);
                    """)
        }
        try pool.close()

        let database = try AppDatabase(path: path)
        try database.writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT key, cluster, content_id, as_chrome FROM line_evidence")
            let seen = rows.map { row -> String in
                let chrome: Int? = row["as_chrome"]
                let key: Int = row["key"]
                let cluster: String = row["cluster"]
                let content: Int = row["content_id"]
                return "\(key) \(cluster) \(content) \(chrome.map(String.init) ?? "-")"
            }
            // The table's own order, which the cluster seeks rely on.
            #expect(seen == ["7  3 0", "7 aa 1 0", "7 bb 2 -", "9 bb 2 1"])
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'line_evidence'")
            #expect(indexes.filter { !$0.hasPrefix("sqlite_autoindex") } == ["line_evidence_content"])
            let plan = try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN
                    SELECT cluster FROM line_evidence WHERE key = 7 AND cluster > 'aa' ORDER BY cluster LIMIT 1
                    """
            ).map { row -> String in row["detail"] ?? "" }.joined(separator: " ")
            #expect(plan.contains("PRIMARY KEY"), "\(plan)")
        }
        #expect(try database.integrityCheck() == "ok")
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM contents WHERE id = 2")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM line_evidence") == 2)
        }
    }
}
