import Foundation
import GRDB
import NewsCore
import Testing

@testable import Catalogue
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

    /// One of FTS5's settings, as the catalogue stores it.
    func setting(_ database: AppDatabase, _ key: String) throws -> Int? {
        try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT v FROM search_config WHERE k = ?", arguments: [key])
        }
    }

    @Test func idleStepsMergeWhatCommitsLeftAndSearchStillFindsEverything() throws {
        // Every catalogue has automatic merging off from its creation (v8), before any ingest.
        let f = try ReconcilerFixture()
        #expect(try setting(f.database, "automerge") == 0)
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

    /// The structure record read as FTS5 keeps it: one level-0 segment per commit, the same
    /// count `search_idx` has, and the busiest level's count.
    @Test func theSegmentsPerLevelAreReadFromFTS5sStructureRecord() throws {
        let f = try ReconcilerFixture()
        let levels = { try f.database.writer.read { db in try AppDatabase.searchSegmentsPerLevel(db) } }
        #expect(try levels().reduce(0, +) == 0)
        for i in 0..<AppDatabase.busyMergeSegments {
            #expect(try f.database.searchIndexBusiestLevel() == i)
            try f.write("a/\(i).txt", "Article \(i)\n\nword\(i) about the long rains of the season.\n")
            try f.scan()
        }
        #expect(try levels().first == AppDatabase.busyMergeSegments)
        #expect(try levels().reduce(0, +) == segments(f.database))
        #expect(try f.database.searchIndexBusiestLevel() == AppDatabase.busyMergeSegments)
        while try f.database.mergeSearchIndex() {}
        #expect(try levels().reduce(0, +) < AppDatabase.busyMergeSegments)
        #expect(try f.database.searchIndexBusiestLevel() < AppDatabase.busyMergeSegments)
    }

    @Test func commitsLeaveUpToSixtyFourSegmentsBeforeFTS5ForcesAMerge() throws {
        let f = try ReconcilerFixture()
        #expect(try setting(f.database, "crisismerge") == 64)
        // At FTS5's default of 16, the 16th and 32nd commits would have merged their level.
        for i in 0..<36 {
            try f.write("a/\(i).txt", "Article \(i)\n\nword\(i) about the long rains of the season.\n")
            try f.scan()
        }
        let left = try segments(f.database)
        #expect(left >= 30, "segments were merged before 64 piled up (\(left) left of 36)")
        #expect(try f.database.search("word35").count == 1)
    }

    @Test func reanalysingManyContentsInOneTransactionWritesOneSegmentNotOneEach() throws {
        let f = try ReconcilerFixture()
        for i in 0..<20 {
            try f.write(
                "a/\(i).txt",
                "Makala ya \(i)\n\nMvua za masika zimeanza mapema mwaka huu katika kijiji cha nambari\(i).\n")
        }
        try f.scan()
        try f.database.writer.write { db in try db.execute(sql: "UPDATE contents SET analysis_version = NULL")
        }
        let before = try segments(f.database)
        let progress = try AnalysisBackfill(
            tree: f.reconciler.tree, reader: f.reconciler.reader, database: f.database
        ).runToEnd()
        #expect(progress.analysed == 20)
        // The old rows' delete markers and the new rows flush together at the commit. Deleted
        // where each content was re-analysed, every later statement with a statement journal
        // flushed them: one segment per content.
        let added = try segments(f.database) - before
        #expect(added <= 2, "the re-analysis wrote \(added) segments for 20 contents")
        for i in [0, 7, 19] {
            #expect(try f.database.search("nambari\(i)").map(\.path) == [RelativePath("a/\(i).txt")])
        }
        #expect(try f.database.search("mvua").count == 20)
    }
}
