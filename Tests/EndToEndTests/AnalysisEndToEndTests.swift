import Foundation
import SyncCore
import TestSupport
import Testing

/// The text analysis through the real daemon and `newsctl`: languages, titles and dates in
/// `ls`, clusters of exact, normalised and near duplicates kept current as files change,
/// search across scripts.
@Suite struct AnalysisEndToEndTests {
    static func seed(_ name: String) throws -> String {
        try String(contentsOfFile: Project.seeds + "/" + name, encoding: .utf8)
    }

    static let english = "001_5aef100b6d616e8f.txt"
    static let persian = "004_f959d564852dad14.txt"
    static let swahili = "000_9b9f0b0c4bd5f601.txt"

    @Test func lsReportsLanguageTitleDateNormAndCluster() throws {
        let f = try DaemonFixture("an-ls")
        for name in [Self.english, Self.persian, Self.swahili] { try f.write(name, try Self.seed(name)) }
        try f.start()
        let result = try f.newsctl(["ls", "--json"])
        #expect(result.status == 0, "\(result)")
        let rows = try result.jsonLines()
        #expect(rows.count == 3)
        for row in rows {
            for key in [
                "path", "size", "sha256", "state", "group", "lang", "title", "published", "norm", "cluster",
            ] {
                #expect(row.keys.contains(key), "ls --json lacks \(key): \(row)")
            }
        }
        let byPath = Dictionary(uniqueKeysWithValues: rows.map { ($0["path"] as? String ?? "", $0) })
        #expect(byPath[Self.english]?["lang"] as? String == "en")
        #expect(byPath[Self.persian]?["lang"] as? String == "fa")
        #expect(byPath[Self.swahili]?["lang"] as? String == "sw")
        #expect(
            byPath[Self.english]?["title"] as? String == "Iran DM discusses cooperation with China, Russia")
        #expect(byPath[Self.swahili]?["published"] as? String == "2024-04-27T08:11:00Z")
        let persianOnly = try f.newsctl(["ls", "--lang", "fa", "--json"]).jsonLines()
        #expect(persianOnly.map { $0["path"] as? String } == [Self.persian])
        let human = try f.newsctl(["ls"])
        #expect(human.stdout.contains("LANG") && human.stdout.contains("TITLE"), "\(human)")
        #expect(try f.status().clusters == 0)
    }

    /// `newsd scan --defer-analysis` catalogues bytes only; the daemon started on its state
    /// directory analyses the waiting contents, and a plain scan would too.
    @Test func aDeferredScanIsAnalysedByTheDaemonThatFollows() throws {
        let f = try DaemonFixture("an-deferred")
        for name in [Self.english, Self.persian, Self.swahili] { try f.write(name, try Self.seed(name)) }
        try f.write("copy.txt", try Self.seed(Self.english))
        waitForClockTick()
        let scan = try run(
            Binaries.newsd, ["scan", "--root", f.root, "--state", f.state, "--json", "--defer-analysis"],
            in: f.scratch)
        #expect(scan.status == 0, "\(scan)")
        let summary = try scan.json()
        #expect(summary["files"] as? Int == 4)
        #expect(summary["duplicate_groups"] as? Int == 1)
        #expect(summary["analysis_pending"] as? Int == 3)
        let human = try run(
            Binaries.newsd, ["scan", "--root", f.root, "--state", f.state, "--defer-analysis"], in: f.scratch)
        #expect(human.stdout.contains("3 contents wait for text analysis"), "\(human)")

        try f.start()
        #expect(
            try waitUntil {
                let rows = try f.newsctl(["ls", "--json"]).jsonLines()
                return rows.count == 4 && rows.allSatisfy { $0["lang"] as? String != nil }
            }, "the daemon did not analyse the deferred contents")
        let rows = try f.newsctl(["ls", "--json"]).jsonLines()
        let byPath = Dictionary(uniqueKeysWithValues: rows.map { ($0["path"] as? String ?? "", $0) })
        #expect(byPath[Self.persian]?["lang"] as? String == "fa")
        #expect(byPath["copy.txt"]?["cluster"] as? String == byPath[Self.english]?["cluster"] as? String)
        let hits =
            (try f.newsctl(["search", "--json", "cooperation"]).json()["hits"] as? [[String: Any]]) ?? []
        #expect(hits.contains { $0["path"] as? String == Self.english }, "\(hits)")
        // The change log has each file once, from the scan: analysis is not a change.
        #expect(try f.changes().count == 4)
    }

    @Test func aLineThatReachesFiveClustersWhileWatchingLeavesSearch() throws {
        let f = try DaemonFixture("an-chrome")
        let byline = "Ripoti ya Mwandishi Wetu Kijijini"
        for n in 0..<4 { try f.write("site/\(n).txt", SyntheticArticle.make(UInt64(n + 1), extra: byline)) }
        try f.start()
        func hits(_ query: String) throws -> Int {
            ((try f.newsctl(["search", "--json", query]).json()["hits"] as? [[String: Any]]) ?? []).count
        }
        // Four clusters: not chrome yet.
        #expect(try hits("kijijini") == 4)
        // The fifth arrives while the daemon watches: the line becomes chrome, and the daemon
        // analyses the five texts again without being asked.
        try f.write("site/4.txt", SyntheticArticle.make(5, extra: byline))
        #expect(
            try waitUntil { try hits("report") == 5 && hits("kijijini") == 0 },
            "the chrome line stayed in search")
        // Analysing again is not a change: the log has the five adds only.
        #expect(try f.changes().count == 5)
    }

    @Test func clustersFollowCopiesVariantsAndNearDuplicatesThroughEditsAndDeletes() throws {
        let f = try DaemonFixture("an-clusters")
        let original = try Self.seed(Self.english)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.remove(at: 5)
        let near = "Home | World | Politics\n" + lines.joined(separator: "\n") + "\nShare this article\n"
        try f.write("site-a/story.txt", original)
        try f.write("site-b/story.txt", near)
        try f.write("mirror/story.txt", original)
        try f.write("other/story.txt", try Self.seed(Self.swahili))
        try f.start()
        var clusters = try f.newsctl(["clusters", "--json"]).jsonLines()
        #expect(clusters.count == 1)
        let members = (clusters.first?["files"] as? [[String: Any]]) ?? []
        #expect(
            Set(members.compactMap { $0["path"] as? String }) == [
                "site-a/story.txt", "site-b/story.txt", "mirror/story.txt",
            ])
        #expect(Set(members.compactMap { $0["link"] as? String }) == ["exact", "near"])
        let show = try f.newsctl(["show", "site-b/story.txt", "--json"]).json()
        let related = (show["related"] as? [[String: Any]]) ?? []
        #expect(related.count == 2)
        #expect(
            related.allSatisfy { $0["link"] as? String == "near" && ($0["jaccard"] as? Double ?? 0) > 0.5 })
        let human = try f.newsctl(["clusters"])
        #expect(human.status == 0 && human.stdout.contains("near"), "\(human)")

        // The near copy is rewritten as another story: it leaves the cluster.
        try f.write("site-b/story.txt", try Self.seed(Self.persian))
        try f.sync()
        clusters = try f.newsctl(["clusters", "--json"]).jsonLines()
        #expect(((clusters.first?["files"] as? [Any]) ?? []).count == 2)
        // The last copy of the original goes: no cluster is left.
        try FileManager.default.removeItem(atPath: f.path("mirror/story.txt"))
        try f.sync()
        #expect(try f.newsctl(["clusters", "--json"]).jsonLines().isEmpty)
        #expect(try f.status().clusters == 0)
    }

    @Test func searchFindsAcrossScriptsWithSnippetsInTheOriginalLetters() throws {
        let f = try DaemonFixture("an-search")
        try f.write("fa/news.txt", try Self.seed(Self.persian))
        try f.write("en/news.txt", try Self.seed(Self.english))
        try f.start()
        let result = try f.newsctl(["search", "--json", "همكاري"])
        #expect(result.status == 0, "\(result)")
        let json = try result.json()
        let hits = (json["hits"] as? [[String: Any]]) ?? []
        #expect(hits.map { $0["path"] as? String } == ["fa/news.txt"])
        #expect((hits.first?["snippet"] as? String)?.contains("همکاری") == true)
        let human = try f.newsctl(["search", "Shoigu"])
        #expect(human.stdout.contains("en/news.txt"), "\(human)")
        let empty = try f.newsctl(["search", "،؟"])
        #expect(empty.status == 1, "\(empty)")
        #expect(empty.stderr.contains("bad_params") || empty.stderr.contains("no words"), "\(empty)")
    }
}
