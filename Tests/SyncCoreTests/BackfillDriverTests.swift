import Foundation
import GRDB
import Logging
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

/// The engine's analysis backfill, step by step: what each step reports, and that a file gone
/// meanwhile is skipped, counted and not waited for.
@Suite struct BackfillDriverTests {
    func driver(_ f: ReconcilerFixture, stepSize: Int) -> BackfillDriver {
        var backfill = AnalysisBackfill(
            tree: f.reconciler.tree, reader: f.reconciler.reader, database: f.database)
        backfill.stepSize = stepSize
        return BackfillDriver(backfill: backfill, logger: Logger(label: "test"))
    }

    /// Five articles catalogued, then marked as analysed by an older version.
    func catalogueNeedingAnalysis() throws -> ReconcilerFixture {
        let f = try ReconcilerFixture()
        for i in 0..<5 {
            try f.write(
                "a/\(i).txt", "Makala ya \(i)\n\nMvua za masika zimeanza mapema katika kijiji nambari\(i).\n")
        }
        try f.scan()
        try f.database.writer.write { db in try db.execute(sql: "UPDATE contents SET analysis_version = NULL")
        }
        return f
    }

    @Test func withNothingToAnalyseItStaysIdle() throws {
        let f = try ReconcilerFixture()
        try f.write("a.txt", "Makala\n\nMvua za masika zimeanza.\n")
        try f.scan()
        var driver = driver(f, stepSize: 2)
        #expect(driver.startIfNeeded() == 0)
        #expect(!driver.hasWork)
        #expect(driver.step() == .idle)
    }

    @Test func itAdvancesAStepAtATimeThenFinishes() throws {
        let f = try catalogueNeedingAnalysis()
        var driver = driver(f, stepSize: 2)
        #expect(driver.startIfNeeded() == 5)
        #expect(driver.hasWork && driver.isBackfilling)
        #expect(driver.step() == .advanced(remaining: 3, statusLine: "analysing older contents: 2 of 5"))
        #expect(driver.step() == .advanced(remaining: 1, statusLine: "analysing older contents: 4 of 5"))
        #expect(driver.step() == .advanced(remaining: 0, statusLine: "analysing older contents: 5 of 5"))
        #expect(driver.step() == .finished)
        #expect(!driver.hasWork)
        #expect(driver.step() == .idle)
        #expect(try f.database.countContentsNeedingAnalysis() == 0)
        #expect(try f.database.search("nambari3").map(\.path) == [RelativePath("a/3.txt")])
    }

    @Test func aFileGoneMeanwhileIsSkippedAndCountedAsDone() throws {
        let f = try catalogueNeedingAnalysis()
        try FileManager.default.removeItem(atPath: f.path("a/1.txt"))
        var driver = driver(f, stepSize: 10)
        #expect(driver.startIfNeeded() == 5)
        #expect(driver.step() == .advanced(remaining: 0, statusLine: "analysing older contents: 4 of 5"))
        #expect(driver.step() == .finished)
        // Left to the reconciler, which sees the file gone: one content still unanalysed.
        #expect(try f.database.countContentsNeedingAnalysis() == 1)
    }
}
