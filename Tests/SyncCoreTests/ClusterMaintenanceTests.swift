import Foundation
import GRDB
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import Dedup
@testable import SyncCore

/// Near links bounded per content and clusters kept as their connected components: one story
/// republished hundreds of times, a bridge whose removal splits what it held together, and
/// the pure parts (the join rule, the split search).
@Suite struct ClusterMaintenanceTests {
    /// `count` pseudo-words drawn from `seed`: unrelated to any other seed's.
    static func words(seed: UInt64, count: Int) -> [String] {
        var generator = SplitMix64(seed: seed)
        let syllables = ["ka", "lo", "mi", "ta", "ne", "ru", "so", "vi", "de", "pa", "zu", "or", "el", "an"]
        return (0..<count).map { _ in
            let length = Int(generator.next() % 3) + 2
            return (0..<length).map { _ in syllables[Int(generator.next() % UInt64(syllables.count))] }
                .joined()
        }
    }

    /// `words` as lines of twelve.
    static func text(_ words: [String]) -> String {
        stride(from: 0, to: words.count, by: 12).map {
            words[$0..<min($0 + 12, words.count)].joined(separator: " ")
        }
        .joined(separator: "\n")
    }

    static func story(seed: UInt64, count: Int) -> String { text(words(seed: seed, count: count)) }

    /// `text` with `edits` of its words replaced (deterministically by `seed`).
    static func edited(_ text: String, edits: Int, seed: UInt64) -> String {
        var generator = SplitMix64(seed: seed)
        var lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for edit in 0..<edits {
            let line = Int(generator.next() % UInt64(lines.count))
            let word = Int(generator.next() % UInt64(lines[line].count))
            lines[line][word] = "edit\(seed)x\(edit)"
        }
        return lines.map { $0.joined(separator: " ") }.joined(separator: "\n")
    }

    func linkRows(_ f: ReconcilerFixture) throws -> (links: Int, contents: Int, maxDegree: Int) {
        try f.database.writer.read { db in
            let links = try Int.fetchOne(db, sql: "SELECT count(*) FROM near_edges") ?? 0
            let contents = try Int.fetchOne(db, sql: "SELECT count(*) FROM contents") ?? 0
            let degree =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM
                        (SELECT a AS c FROM near_edges UNION ALL SELECT b FROM near_edges) GROUP BY c)
                        """) ?? 0
            return (links, contents, degree)
        }
    }

    func clusterOf(_ f: ReconcilerFixture, _ path: String) throws -> String? {
        try f.database.facts(of: RelativePath(path))?.cluster
    }

    @Test func fiveHundredNearIdenticalCopiesFormOneClusterWithBoundedLinks() throws {
        let f = try ReconcilerFixture()
        let original = Self.story(seed: 1, count: 400)
        for copy in 0..<500 {
            let text =
                "Outlet \(copy) | News\n" + Self.edited(original, edits: 1 + copy % 8, seed: UInt64(copy))
                + "\nShare this story on Outlet \(copy)\n"
            try f.write("d\(copy / 100)/copy\(copy).txt", text)
        }
        try f.scan()
        let clusters = try f.database.clusters(limit: 10)
        #expect(clusters.count == 1)
        #expect(clusters.first?.members.count == 500)
        let rows = try linkRows(f)
        #expect(rows.contents == 500)
        #expect(rows.links > 0)
        #expect(rows.links <= NearLinkPolicy.linksPerContent * rows.contents)

        // A new copy joins the cluster; removing a hundred copies leaves the rest one cluster.
        try f.write("late/copy.txt", Self.edited(original, edits: 3, seed: 999))
        try f.scan()
        let story = try clusterOf(f, "d0/copy0.txt")
        #expect(try clusterOf(f, "late/copy.txt") == story)
        for copy in stride(from: 0, to: 500, by: 5) {
            try FileManager.default.removeItem(atPath: f.path("d\(copy / 100)/copy\(copy).txt"))
        }
        try f.scan()
        let after = try f.database.clusters(limit: 10)
        #expect(after.count == 1)
        #expect(after.first?.members.count == 401)
    }

    @Test func removingTheCopyThatLinksTwoHalvesSplitsThem() throws {
        let f = try ReconcilerFixture()
        // Two versions of a story, sharing 300 words and each with 100 of its own: too far
        // apart to link (Jaccard 0.6), each close to a third text halfway between them.
        let shared = Self.words(seed: 10, count: 300)
        let ownFirst = Self.words(seed: 11, count: 100)
        let ownSecond = Self.words(seed: 12, count: 100)
        let first = Self.text(shared + ownFirst)
        let second = Self.text(shared + ownSecond)
        let bridge = Self.text(shared + ownFirst.prefix(50) + ownSecond.prefix(50))
        try f.write("a/1.txt", Self.edited(first, edits: 2, seed: 1))
        try f.write("a/2.txt", Self.edited(first, edits: 2, seed: 2))
        try f.write("b/1.txt", Self.edited(second, edits: 2, seed: 3))
        try f.write("b/2.txt", Self.edited(second, edits: 2, seed: 4))
        try f.scan()
        #expect(try f.database.clusterCount() == 2)
        // The text between them is close to every copy of each: it joins both halves.
        try f.write("bridge.txt", bridge)
        try f.scan()
        let bridged = try clusterOf(f, "bridge.txt")
        for path in ["a/1.txt", "a/2.txt", "b/1.txt", "b/2.txt"] {
            #expect(try clusterOf(f, path) == bridged)
        }
        #expect(try f.database.clusterCount() == 1)

        try FileManager.default.removeItem(atPath: f.path("bridge.txt"))
        try f.scan()
        #expect(try f.database.clusterCount() == 2)
        #expect(try clusterOf(f, "a/1.txt") == clusterOf(f, "a/2.txt"))
        #expect(try clusterOf(f, "b/1.txt") == clusterOf(f, "b/2.txt"))
        #expect(try clusterOf(f, "a/1.txt") != clusterOf(f, "b/1.txt"))
        // Each label is its smallest member's hash, whichever side the bridge's label went to.
        let labels = try f.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT cluster, sha256 FROM contents").map {
                row -> (String, [UInt8]) in
                let sha: Data = row[1]
                return (row[0], Array(sha))
            }
        }
        for (label, members) in Dictionary(grouping: labels, by: \.0) {
            let smallest = try #require(members.map(\.1).min { $0.lexicographicallyPrecedes($1) })
            #expect(label == ClusterID.of(sha256: smallest))
        }
    }

    @Test func oneTextJoinsAtMostOneClusterOfTwoOrMoreWhenItResemblesFewOfTheOther() {
        // Joins the singleton it resembles; a big cluster it touches once stays apart.
        let joins = NearLinkPolicy.joins(
            groups: 1,
            targets: [
                .init(label: "big", strength: 0.8, groups: 40),
                .init(label: "one", strength: 0.9, groups: 1),
            ])
        #expect(joins == ["one"])
        // A variant of a star's original joins up to nine variants, as the clusterer's rule.
        #expect(
            NearLinkPolicy.joins(groups: 1, targets: [.init(label: "s", strength: 0.8, groups: 8)]) == ["s"])
        #expect(
            NearLinkPolicy.joins(groups: 1, targets: [.init(label: "s", strength: 0.8, groups: 9)]).isEmpty)
        // A copy of a large republication resembles every member it sees.
        #expect(
            NearLinkPolicy.joins(groups: 1, targets: [.init(label: "w", strength: 13, groups: 9000)]) == ["w"]
        )
        // One text close to every member of two pairs merges them; of two large clusters, never.
        #expect(
            NearLinkPolicy.joins(
                groups: 1,
                targets: [
                    .init(label: "p", strength: 1.8, groups: 2), .init(label: "q", strength: 1.8, groups: 2),
                ]
            ) == ["p", "q"])
        #expect(
            NearLinkPolicy.joins(
                groups: 1,
                targets: [
                    .init(label: "p", strength: 8, groups: 500), .init(label: "q", strength: 8, groups: 500),
                ]
            ).count == 1)
    }

    @Test func theSplitSearchStopsWhenOnePartIsLeftAndFindsEveryClosedPart() {
        // A path 1-2-3 and a long ring 10...1009, searched from 1, 3, 10 and 500.
        var graph: [Int64: [Int64]] = [1: [2], 2: [1, 3], 3: [2]]
        for node in Int64(10)..<1010 {
            let next = node == 1009 ? 10 : node + 1
            graph[node, default: []].append(next)
            graph[next, default: []].append(node)
        }
        var visits = 0
        let result = SplitSearch.components(from: [1, 3, 10, 500]) { node in
            visits += 1
            return graph[node] ?? []
        }
        #expect(result.closed == [[1, 2, 3]])
        #expect(result.restOpen)
        // The ring's two searches meet halfway round; it is not walked to its end twice.
        #expect(visits < 1_000)

        // Searches that meet are one part left running: nothing split off.
        let whole = SplitSearch.components(from: [1, 3]) { graph[$0] ?? [] }
        #expect(whole.closed.isEmpty)
        #expect(whole.restOpen)
    }
}
