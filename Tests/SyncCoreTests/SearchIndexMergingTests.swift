import Foundation
import GRDB
import Testing

@testable import SyncCore

/// Deferred search-index merging: commits stop merging FTS5 segments, and the daemon's idle
/// steps merge them until nothing is left, with every article still found.
@Suite struct SearchIndexMergingTests {
    func segments(_ database: AppDatabase) throws -> Int {
        // FTS5 keeps one row per segment page run in its %_idx table; distinct segids count
        // the segments.
        try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT segid) FROM search_idx") ?? 0
        }
    }

    @Test func idleStepsMergeWhatCommitsLeftAndSearchStillFindsEverything() throws {
        // Every catalogue has automatic merging off from its creation (v8), before any ingest.
        let f = try ReconcilerFixture()
        let automerge = try f.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT v FROM search_config WHERE k = 'automerge'")
        }
        #expect(automerge == 0)
        // One article per transaction, as the daemon commits them.
        for i in 0..<12 {
            try f.write(
                "a/\(i).txt", "Article number \(i)\n\nunique\(i)word appears in this article about rain.\n")
            try f.scan()
        }
        let before = try segments(f.database)
        #expect(before >= 8, "commits merged segments although merging was deferred (\(before) left)")
        var steps = 0
        while try f.database.mergeSearchIndex(), steps < 100 { steps += 1 }
        #expect(steps >= 1)
        #expect(steps < 100)
        #expect(try segments(f.database) < before)
        for i in 0..<12 {
            #expect(try f.database.search("unique\(i)word").map(\.path) == [RelativePath("a/\(i).txt")])
        }
    }
}
