import Foundation
import GRDB
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore
@testable import TextAnalysis

/// Corpus evidence for boilerplate: a short line in many clusters becomes chrome (and leaves
/// fingerprints and search once its texts are analysed again); republished copies of one
/// article do not make their own lines chrome; deletes take a verdict back.
@Suite struct ChromeEvidenceTests {
    static let byline = "Ripoti ya Mwandishi Wetu Kijijini"

    func chromeLines(_ database: AppDatabase) throws -> [Int64: Int64] {
        try database.writer.read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, clusters FROM chrome_lines").map
                {
                    ($0[0] as Int64, $0[1] as Int64)
                })
        }
    }

    func backfill(_ f: ReconcilerFixture) throws -> AnalysisBackfill.Progress {
        try AnalysisBackfill(tree: f.reconciler.tree, reader: f.reconciler.reader, database: f.database)
            .runToEnd()
    }

    func queued(_ database: AppDatabase) throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM analysis_queue") ?? 0
        }
    }

    var bylineKey: Int64 { Int64(bitPattern: Normalizer.lineKey(Normalizer.normalize(Self.byline))) }

    @Test func aLineInManyClustersBecomesChromeAndLeavesSearchUntilFewClustersHoldIt() throws {
        let f = try ReconcilerFixture()
        for n in 0..<6 {
            try f.write("site/\(n).txt", SyntheticArticle.make(UInt64(n + 1), extra: Self.byline))
        }
        try f.scan()
        // Six distinct clusters hold the line: it is chrome now, but the six texts were analysed
        // before the verdict, so search still finds it until they are analysed again.
        #expect(try f.database.clusters().isEmpty)
        #expect(try chromeLines(f.database) == [bylineKey: 6])
        #expect(f.database.knownChrome.snapshot == [UInt64(bitPattern: bylineKey)])
        #expect(try f.database.search("kijijini").count == 6)
        #expect(try f.database.countContentsNeedingAnalysis() == 6)
        #expect(f.database.knownChrome.hasQueued)

        let progress = try backfill(f)
        #expect(progress.analysed == 6)
        #expect(try f.database.countContentsNeedingAnalysis() == 0)
        #expect(try f.database.search("kijijini").isEmpty)
        #expect(try f.database.search("report").count == 6)
        let audits = try f.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT boilerplate FROM content_audit")
        }
        #expect(audits.count == 6)
        #expect(audits.allSatisfy { $0.contains("corpus chrome") })

        // Down to three clusters (below five less one): no longer chrome, back in search.
        for n in 0..<3 { try FileManager.default.removeItem(atPath: f.path("site/\(n).txt")) }
        try f.scan()
        #expect(try chromeLines(f.database).isEmpty)
        #expect(f.database.knownChrome.snapshot.isEmpty)
        // Queued in the catalogue too, where a restart (which has no queue in memory) finds them.
        #expect(try queued(f.database) == 3)
        #expect(try f.database.countContentsNeedingAnalysis() == 3)
        // The daemon's path: the three texts the verdict changed were queued by id.
        let again = AnalysisBackfill(
            tree: f.reconciler.tree, reader: f.reconciler.reader, database: f.database)
        #expect(try again.reanalyseQueued() == 3)
        #expect(!f.database.knownChrome.hasQueued)
        #expect(try queued(f.database) == 0)
        #expect(try f.database.countContentsNeedingAnalysis() == 0)
        #expect(try f.database.search("kijijini").count == 3)
    }

    @Test func fourClustersKeepAVerdictThatFiveMade() throws {
        let f = try ReconcilerFixture()
        for n in 0..<5 {
            try f.write("site/\(n).txt", SyntheticArticle.make(UInt64(n + 10), extra: Self.byline))
        }
        try f.scan()
        #expect(try chromeLines(f.database) == [bylineKey: 5])
        try FileManager.default.removeItem(atPath: f.path("site/0.txt"))
        try f.scan()
        #expect(try chromeLines(f.database) == [bylineKey: 4])
    }

    @Test func republishedCopiesDoNotMakeTheirOwnLinesChrome() throws {
        let f = try ReconcilerFixture()
        let original = SyntheticArticle.make(42, extra: Self.byline)
        // Six normalisation-only variants: one cluster, so the byline counts once.
        let variants = [
            original, original.replacingOccurrences(of: "\n", with: "\r\n"), "\u{FEFF}" + original,
            original.replacingOccurrences(of: " ", with: "  "),
            original.replacingOccurrences(of: " ", with: "\t"),
            original.replacingOccurrences(of: " the ", with: " the\u{00A0}"),
        ]
        for (n, text) in variants.enumerated() { try f.write("copies/\(n).txt", text) }
        try f.scan()
        #expect(try f.database.clusters().map { $0.members.count } == [6])
        #expect(try chromeLines(f.database).isEmpty)
        #expect(try f.database.countContentsNeedingAnalysis() == 0)
        #expect(try f.database.search("kijijini").count == 6)
    }

    @Test func aChromeLineOutsideEveryBodyCostsNoSecondAnalysis() throws {
        let f = try ReconcilerFixture()
        // The line ends each article, after the last good line: the classifier already leaves
        // it out, so its verdict changes no fingerprint and no text is analysed again.
        for n in 0..<6 {
            try f.write(
                "site/\(n).txt", SyntheticArticle.make(UInt64(n + 20), extra: "") + Self.byline + "\n")
        }
        try f.scan()
        #expect(try chromeLines(f.database) == [bylineKey: 6])
        #expect(try f.database.search("kijijini").isEmpty)
        #expect(try f.database.countContentsNeedingAnalysis() == 0)
        #expect(!f.database.knownChrome.hasQueued)
    }

    @Test func onlyShortLinesAreEvidence() {
        let long = Array(repeating: "word", count: ChromeEvidence.maximumTokens + 1).joined(separator: " ")
        let short = Array(repeating: "word", count: ChromeEvidence.maximumTokens).joined(separator: " ")
        let analysis = TextAnalyzer.analyze("\(long)\n\(short)\n\n\(short)\n")
        #expect(analysis.evidenceLines.map(\.key) == [Normalizer.lineKey(short)])
    }
}
