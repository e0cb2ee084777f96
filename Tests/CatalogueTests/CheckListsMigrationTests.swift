import Foundation
import GRDB
import TestSupport
import Testing

@testable import Catalogue

@Suite struct CheckListsMigrationTests {
    @Test func literalListsBecomeEqualityChains() {
        #expect(
            CheckListsMigration.rewriteLists(
                "state TEXT NOT NULL CHECK (state IN ('ok', 'error',\n   'skipped'))")
                == "state TEXT NOT NULL CHECK ((state = 'ok' OR state = 'error' OR state = 'skipped'))")
        #expect(
            CheckListsMigration.rewriteLists(
                "CHECK ((state = 'skipped') = (kind NOT IN ('file', 'directory')))")
                == "CHECK ((state = 'skipped') = ((kind <> 'file' AND kind <> 'directory')))")
        #expect(
            CheckListsMigration.rewriteLists("CHECK (is_text IN (0, 1))")
                == "CHECK ((is_text = 0 OR is_text = 1))")
        // Anything but a list of plain literals is left alone.
        #expect(CheckListsMigration.rewriteLists("CHECK (x IN ('a,b', 'c'))") == "CHECK (x IN ('a,b', 'c'))")
        #expect(CheckListsMigration.rewriteLists("CHECK (x IN (y, 1))") == "CHECK (x IN (y, 1))")
    }

    /// What the scanner that replaced the regular expression must still match, and not.
    @Test func theScannerMatchesWhatThePatternMatched() {
        // Keywords in any case, two lists in one statement, no space before the parenthesis.
        #expect(
            CheckListsMigration.rewriteLists("a in ('x','y') AND b Not In(1, 2)")
                == "(a = 'x' OR a = 'y') AND (b <> 1 AND b <> 2)")
        // A word that only starts with IN, a function call and a nested list stay as they are.
        #expect(CheckListsMigration.rewriteLists("x INT (1)") == "x INT (1)")
        #expect(
            CheckListsMigration.rewriteLists("CHECK (length(x) IN (1, 2))") == "CHECK (length(x) IN (1, 2))")
        #expect(CheckListsMigration.rewriteLists("x IN ((1), 2)") == "x IN ((1), 2)")
        // No list at all, an unclosed one, and the empty string.
        #expect(CheckListsMigration.rewriteLists("x = 1") == "x = 1")
        #expect(CheckListsMigration.rewriteLists("x IN ('a'") == "x IN ('a'")
        #expect(CheckListsMigration.rewriteLists("") == "")
    }

    /// A catalogue from before the rewrite keeps its rows, loses its lists, and its invariants
    /// still hold: the rewritten CHECKs refuse what the lists refused.
    @Test func anOlderCatalogueIsRewrittenAndStillEnforcesItsInvariants() throws {
        let scratch = try Scratch("check-lists")
        let path = scratch.url("catalog.sqlite")
        let pool = try DatabasePool(path: path)
        try CatalogMigrations.migrator.migrate(pool, upTo: "v3-content-bands")
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO contents(sha256, size, is_text) VALUES (zeroblob(32), 3, 1);
                    INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, content_id, verified_ns)
                    VALUES (x'61', 'file', 1, 2, 3, 4, 5, 'ok', 1, 6);
                    INSERT INTO changes(op, path, state, at_ns) VALUES ('add', x'61', 'ok', 1);
                    """)
        }
        try pool.close()

        let database = try AppDatabase(path: path)
        try database.writer.read { db in
            for table in CheckListsMigration.tables {
                let sql =
                    try String.fetchOne(
                        db, sql: "SELECT sql FROM sqlite_schema WHERE name = ?", arguments: [table]) ?? ""
                #expect(
                    sql.range(of: #"\bIN\s*\("#, options: [.regularExpression, .caseInsensitive]) == nil,
                    "\(table)")
            }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM files") == 1)
        }
        #expect(try database.integrityCheck() == "ok")
        let refused = [
            "INSERT INTO contents(sha256, size, is_text) VALUES (randomblob(32), 3, 2)",
            """
            INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, content_id, verified_ns)
            VALUES (x'62', 'bogus', 1, 3, 3, 4, 5, 'ok', 1, 6)
            """,
            """
            INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, content_id, verified_ns)
            VALUES (x'62', 'file', 1, 3, 3, 4, 5, 'gone', 1, 6)
            """,
            // A regular file cannot be 'skipped' (the NOT IN list).
            """
            INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, reason, verified_ns)
            VALUES (x'62', 'file', 1, 3, 3, 4, 5, 'skipped', 'why', 6)
            """,
            "INSERT INTO changes(op, path, state, at_ns) VALUES ('copy', x'61', 'ok', 1)",
            "INSERT INTO changes(op, path, state, at_ns) VALUES ('add', x'61', 'fine', 1)",
        ]
        for sql in refused {
            #expect(throws: DatabaseError.self, "\(sql)") {
                try database.writer.write { db in try db.execute(sql: sql) }
            }
        }
        // What the lists allowed is still allowed.
        try database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, reason, verified_ns)
                    VALUES (x'63', 'fifo', 1, 4, 0, 4, 5, 'skipped', 'a FIFO', 6);
                    INSERT INTO changes(op, path, from_path, state, at_ns) VALUES ('rename', x'64', x'61', 'ok', 2)
                    """)
        }
    }
}
