import Foundation
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

/// `clusters` with its members capped: the first members in path order, linked as the whole
/// listing links them, and the counts (size, languages, links) of every member, as the whole
/// listing has them.
@Suite struct ClusterListingTests {
    static let persian = "004_f959d564852dad14.txt"
    static let english = "001_5aef100b6d616e8f.txt"

    @Test func aCappedListingCountsEveryMemberAndListsTheFirst() throws {
        let f = try ReconcilerFixture()
        let persian = try Seeds.text(Self.persian)
        // One story with each kind of link: 300 exact copies, a variant that only
        // normalisation makes equal (Arabic yeh for the Persian one, no ZWNJ), and near
        // duplicates under another site's chrome.
        try f.write("fa/original.txt", persian)
        for copy in 0..<300 { try f.write("fa/copies/\(String(format: "%03d", copy)).txt", persian) }
        try f.write(
            "fa/variant.txt",
            persian.replacingOccurrences(of: "ی", with: "ي").replacingOccurrences(of: "\u{200C}", with: ""))
        for site in ["one", "two"] {
            try f.write(
                "fa/\(site).txt", "\(site) | خانه | جهان\n" + persian + "\nاین مقاله را به اشتراک بگذارید\n")
        }
        // A second cluster, in English, smaller.
        let english = try Seeds.text(Self.english)
        try f.write("en/a.txt", english)
        try f.write("en/b.txt", english)
        try f.scan()

        let whole = try f.database.clusters()
        let capped = try f.database.clusters(members: 2)
        #expect(whole.map(\.id) == capped.map(\.id))
        #expect(whole.map(\.size) == [304, 2])
        let story = try #require(whole.first)
        #expect(story.links == [.exact: 301, .normalized: 1, .near: 2], "\(story.links)")
        #expect(story.languages == ["fa"])
        for (listed, counted) in zip(whole, capped) {
            #expect(counted.size == listed.size)
            #expect(counted.languages == listed.languages)
            #expect(counted.links == listed.links)
            #expect(counted.members == Array(listed.members.prefix(2)))
        }
        #expect(try f.database.clusters(members: 0).map(\.members) == [[], []])
        #expect(try f.database.clusters(members: 0).map(\.size) == [304, 2])
    }
}
