import Foundation
import GRDB
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import Dedup
@testable import SyncCore
@testable import TextAnalysis

/// Analysis in the catalogue: normalised and near-duplicate clusters kept current through
/// adds, edits and deletes; search across scripts; the backfill of an older catalogue.
@Suite struct CatalogAnalysisTests {
    static let english = "001_5aef100b6d616e8f.txt"
    static let persian = "004_f959d564852dad14.txt"
    static let swahili = "000_9b9f0b0c4bd5f601.txt"

    func facts(_ f: ReconcilerFixture, _ path: String) throws -> ContentFacts {
        guard let facts = try f.database.facts(of: RelativePath(path)) else {
            throw ScratchError("no facts for \(path)")
        }
        return facts
    }

    @Test func normalisationOnlyVariantsShareTheirKeyAndCluster() throws {
        let f = try ReconcilerFixture()
        let original = try Seeds.text(Self.persian)
        try f.write("fa/original.txt", original)
        // Arabic yeh and kaf for the Persian ones, CRLF line ends, ZWNJ removed, a BOM.
        let variant =
            "\u{FEFF}"
            + original.replacingOccurrences(of: "ی", with: "ي").replacingOccurrences(of: "ک", with: "ك")
            .replacingOccurrences(of: "\u{200C}", with: "").replacingOccurrences(of: "\n", with: "\r\n")
        try f.write("fa/variant.txt", variant)
        try f.write("sw/other.txt", try Seeds.text(Self.swahili))
        try f.scan()
        let a = try facts(f, "fa/original.txt")
        let b = try facts(f, "fa/variant.txt")
        #expect(a.normalizedHash != nil)
        #expect(a.normalizedHash == b.normalizedHash)
        #expect(a.cluster == b.cluster)
        #expect(a.language == "fa")
        #expect(try facts(f, "sw/other.txt").cluster != a.cluster)
        let related = try f.database.duplicates(of: RelativePath("fa/original.txt"))
        #expect(related.map(\.link) == [.normalized])
        #expect(try f.database.clusters().map { $0.members.count } == [2])
    }

    /// With the candidate index in memory (the default budget) and in a file (no budget).
    @Test(arguments: [AppDatabase.defaultCandidateMemory, 0])
    func nearDuplicatesClusterAndADeleteOrAnEditSplitsThem(candidateMemory: Int) throws {
        let f = try ReconcilerFixture(candidateMemory: candidateMemory)
        let original = try Seeds.text(Self.english)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try f.write("a/original.txt", original)
        // Republished elsewhere: another site's chrome, one paragraph dropped, a word changed.
        lines.remove(at: 5)
        lines[3] = lines[3].replacingOccurrences(of: "strengthen", with: "reinforce")
        let republished =
            "Breaking News | Home | World\n" + lines.joined(separator: "\n") + "\nShare this article\n"
        try f.write("b/republished.txt", republished)
        try f.write("c/unrelated.txt", try Seeds.text(Self.swahili))
        try f.scan()
        let a = try facts(f, "a/original.txt")
        #expect(a.language == "en")
        #expect(a.title == "Iran DM discusses cooperation with China, Russia")
        #expect(try facts(f, "b/republished.txt").cluster == a.cluster)
        #expect(try facts(f, "c/unrelated.txt").cluster != a.cluster)
        let near = try f.database.duplicates(of: RelativePath("a/original.txt"))
        #expect(near.count == 1)
        #expect(near.first?.link == .near)
        #expect((near.first?.jaccard ?? 0) > 0.5)
        #expect(try f.database.clusterCount() == 1)

        // An edit that makes it another story splits the cluster.
        try f.write("b/republished.txt", try Seeds.text(Self.persian))
        try f.scan()
        #expect(try facts(f, "b/republished.txt").cluster != facts(f, "a/original.txt").cluster)
        #expect(try f.database.clusterCount() == 0)

        // Back together, then a delete splits it again.
        try f.write("b/republished.txt", republished)
        try f.scan()
        #expect(try f.database.clusterCount() == 1)
        try FileManager.default.removeItem(atPath: f.path("a/original.txt"))
        try f.scan()
        #expect(try f.database.clusterCount() == 0)
        #expect(try f.database.duplicates(of: RelativePath("b/republished.txt")).isEmpty)
    }

    /// Each content's band row keeps the size of the shingle set its candidates are verified
    /// with; a republication still joins an article stored without one (a catalogue from
    /// before `v12-content-shingle-counts`), whose pairs are verified from any estimate that
    /// sizes unknown allow.
    @Test func shingleCountsAreStoredAndAnOlderContentWithoutOneStillJoins() throws {
        let f = try ReconcilerFixture()
        let original = try Seeds.text(Self.english)
        try f.write("a/original.txt", original)
        try f.scan()
        let stored = try f.database.writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT b.shingles, s.body FROM content_bands b JOIN search s ON s.rowid = b.content_id")
        }
        let count: Int? = stored?["shingles"]
        let body: String? = stored?["body"]
        #expect(count != nil && count == body.map { Shingler.shingles(ofNormalized: $0).count })
        #expect((count ?? 0) > 150)
        try f.database.writer.write { db in try db.execute(sql: "UPDATE content_bands SET shingles = NULL") }

        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.remove(at: 5)
        try f.write("b/republished.txt", "Breaking News | Home\n" + lines.joined(separator: "\n"))
        try f.scan()
        #expect(try facts(f, "b/republished.txt").cluster == facts(f, "a/original.txt").cluster)
        #expect(try f.database.duplicates(of: RelativePath("a/original.txt")).map(\.link) == [.near])
    }

    @Test func exactCopiesShareTheirCluster() throws {
        let f = try ReconcilerFixture()
        try f.write("one.txt", try Seeds.text(Self.english))
        try f.write("two.txt", try Seeds.text(Self.english))
        try f.scan()
        #expect(try facts(f, "one.txt").cluster == facts(f, "two.txt").cluster)
        #expect(try f.database.clusters().first?.members.map(\.link) == [.exact, .exact])
    }

    @Test func searchMatchesAcrossLetterFormsDigitsAndZWNJ() throws {
        let f = try ReconcilerFixture()
        try f.write("fa/seed.txt", try Seeds.text(Self.persian))
        try f.write("en/seed.txt", try Seeds.text(Self.english))
        try f.write(
            "fa/numbers.txt",
            "گزارش سالانه\n\nدر سال ۲۰۲۴ دولت می\u{200C}خواهد بودجه را افزایش دهد و این خبر در همه جا منتشر شد و مردم درباره آن صحبت کردند.\n"
        )
        try f.scan()
        // Arabic kaf and yeh in the query find the Persian forms in the text.
        let hits = try f.database.search("همكاري")
        #expect(hits.map(\.path) == [RelativePath("fa/seed.txt")])
        #expect(try f.database.search("2024").map(\.path) == [RelativePath("fa/numbers.txt")])
        #expect(try f.database.search("میخواهد").map(\.path) == [RelativePath("fa/numbers.txt")])
        #expect(try f.database.search("Shoigu Kazakhstan").map(\.path) == [RelativePath("en/seed.txt")])
        #expect(try f.database.search("Shoig*").map(\.path) == [RelativePath("en/seed.txt")])
        #expect(try f.database.search("  ،؟ ").isEmpty)
        // The snippet is the original line, in its own letters.
        let snippet = Snippet.make(text: try Seeds.text(Self.persian), query: "همكاري")
        #expect(snippet?.contains("همکاری") == true)
        #expect(snippet?.contains("همكاري") == false)
    }

    /// A word with more matches than the search ranks: the best of the newest matches, and a
    /// page reaching past them widens the window rather than coming back empty.
    @Test func searchRanksTheNewestMatchesWhenThereAreMore() throws {
        let f = try ReconcilerFixture()
        // The oldest article mentions the word most often: ranked in full, it comes first.
        let busy = String(repeating: "The harbour was busy today. ", count: 12)
        try f.write("0.txt", "Harbour report\n\n" + busy + "\n")
        try f.scan()
        for i in 1...4 {
            try f.write("\(i).txt", "Report \(i)\n\nShips left the harbour at dawn, said pilot \(i).\n")
            try f.scan()
        }
        #expect(try f.database.search("harbour", rankedMatches: 10).first?.path == RelativePath("0.txt"))
        let newest = try f.database.search("harbour", limit: 2, rankedMatches: 2)
        #expect(Set(newest.map(\.path)) == [RelativePath("3.txt"), RelativePath("4.txt")])
        let page = try f.database.search("harbour", limit: 2, offset: 2, rankedMatches: 2)
        #expect(page.count == 2)
    }

    @Test func aCatalogueFromBeforeAnalysisIsAnalysedKeepingItsChangeLog() throws {
        let scratch = try Scratch("backfill")
        try scratch.mkdir("tree")
        try scratch.write("tree/en.txt", try Seeds.text(Self.english))
        try scratch.write("tree/fa.txt", try Seeds.text(Self.persian))
        let path = scratch.url("catalog.sqlite")
        // A catalogue as the first newsd wrote it: schema v1, rows for both files.
        let pool = try DatabasePool(path: path)
        try CatalogMigrations.migrator.migrate(pool, upTo: "v1-files-contents-changes")
        let tree = Tree(root: scratch.url("tree"))
        try pool.write { db in
            for name in ["en.txt", "fa.txt"] {
                guard
                    case .read(let stat, let content) = FileReader(sizeLimit: 1 << 20).read(
                        tree.cPath(RelativePath(name)))
                else { throw ScratchError("cannot read \(name)") }
                try db.execute(
                    sql: "INSERT INTO contents(sha256, size, is_text) VALUES (?, ?, 1)",
                    arguments: [Data(content.sha256), content.size])
                try db.execute(
                    sql: """
                        INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, content_id, verified_ns)
                        VALUES (?, 'file', ?, ?, ?, ?, ?, 'ok', ?, ?)
                        """,
                    arguments: [
                        Data(name.utf8), Int64(bitPattern: stat.device), Int64(bitPattern: stat.inode),
                        stat.size,
                        stat.mtimeNanoseconds, stat.ctimeNanoseconds, db.lastInsertedRowID,
                        stat.mtimeNanoseconds + 10_000_000_000,
                    ])
                try db.execute(
                    sql: "INSERT INTO changes(op, path, sha256, state, at_ns) VALUES ('add', ?, ?, 'ok', 1)",
                    arguments: [Data(name.utf8), Data(content.sha256)])
            }
        }
        try pool.close()

        let database = try AppDatabase(path: path)
        #expect(try database.countContentsNeedingAnalysis() == 2)
        let settings = Settings(tree: tree, stateDirectory: scratch.url("state"), ignore: IgnoreRules())
        let summary = try Scanner(settings: settings, database: database).run()
        #expect(summary.read == 0)
        #expect(try database.countContentsNeedingAnalysis() == 0)
        #expect(try database.facts(of: RelativePath("fa.txt"))?.language == "fa")
        #expect(try database.facts(of: RelativePath("en.txt"))?.language == "en")
        #expect(try database.search("Shoigu").map(\.path) == [RelativePath("en.txt")])
        #expect(try database.changes(after: 0).map(\.op) == [.add, .add])
    }

    /// A catalogue from before `v3-content-bands` kept one `lsh_bands` entry per (key,
    /// content); the upgrade moves them into `content_bands`, and a republication added after
    /// the upgrade still finds the article catalogued before it.
    @Test func bandEntriesFromAnOlderCatalogueStillFindNearDuplicates() throws {
        let scratch = try Scratch("bands-upgrade")
        try scratch.mkdir("tree")
        let original = try Seeds.text(Self.english)
        try scratch.write("tree/original.txt", original)
        let path = scratch.url("catalog.sqlite")
        let pool = try DatabasePool(path: path)
        try CatalogMigrations.migrator.migrate(pool, upTo: "v2-control-counts")
        let tree = Tree(root: scratch.url("tree"))
        guard
            case .read(let stat, let content) = FileReader(sizeLimit: 1 << 20).read(
                tree.cPath(RelativePath("original.txt"))),
            let text = content.text
        else { throw ScratchError("cannot read the original") }
        let analysis = ContentAnalysis(text: text)
        #expect(analysis.bandKeys.count == LSH.standard.bands)
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO contents(id, sha256, size, is_text, analysis_version, norm_hash, lang, lang_confidence,
                                         script, title_source, cluster)
                    VALUES (7, ?, ?, 1, ?, ?, 'en', 0.9, 'Latn', 'none', ?)
                    """,
                arguments: [
                    Data(content.sha256), content.size, analysis.version, Data(analysis.normalizedHash),
                    ClusterID.of(sha256: content.sha256),
                ])
            try db.execute(
                sql: """
                    INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, content_id, verified_ns)
                    VALUES (?, 'file', ?, ?, ?, ?, ?, 'ok', 7, ?)
                    """,
                arguments: [
                    Data("original.txt".utf8), Int64(bitPattern: stat.device), Int64(bitPattern: stat.inode),
                    stat.size, stat.mtimeNanoseconds,
                    stat.ctimeNanoseconds, stat.mtimeNanoseconds + 10_000_000_000,
                ])
            try db.execute(
                sql: "INSERT INTO search(rowid, title, body) VALUES (7, ?, ?)",
                arguments: [analysis.searchTitle, analysis.searchBody])
            for key in analysis.bandKeys {
                try db.execute(
                    sql: "INSERT INTO lsh_bands(entry) VALUES (?)", arguments: [Int64(key) << 32 | 7])
            }
        }
        try pool.close()

        let database = try AppDatabase(path: path)
        let stored = try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT content_id, keys FROM content_bands")
        }
        #expect(stored.count == 1)
        let keys: Data? = stored.first?["keys"]
        #expect(keys.map { Set(BandTable.decode(Array($0))) } == Set(analysis.bandKeys))
        #expect(try database.writer.read { db in try db.tableExists("lsh_bands") } == false)
        // `v5-search-ascii-tokenizer` rebuilt the index from its stored text, kept its trigger.
        #expect(try database.search("Shoigu").map(\.path) == [RelativePath("original.txt")])
        let schema = try database.writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_schema WHERE name IN ('search', 'contents_delete_search')")
        }
        #expect(schema.count == 2 && schema.contains { $0.contains("tokenize = 'ascii'") }, "\(schema)")

        // A republication with a paragraph dropped joins the old article's cluster.
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.remove(at: 5)
        try scratch.write("tree/republished.txt", "Home | World\n" + lines.joined(separator: "\n"))
        let settings = Settings(tree: tree, stateDirectory: scratch.url("state"), ignore: IgnoreRules())
        let summary = try Scanner(settings: settings, database: database).run()
        #expect(summary.read == 1)
        let old = try #require(try database.facts(of: RelativePath("original.txt")))
        #expect(try database.facts(of: RelativePath("republished.txt"))?.cluster == old.cluster)
        #expect(try database.duplicates(of: RelativePath("original.txt")).map(\.link) == [.near])
    }
}
