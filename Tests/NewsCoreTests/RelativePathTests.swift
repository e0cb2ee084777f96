import Testing

@testable import NewsCore

@Suite struct RelativePathTests {
    @Test func joinsAndSplits() {
        let path = RelativePath.root.appending(Array("a".utf8)).appending(Array("b.txt".utf8))
        #expect(path == RelativePath("a/b.txt"))
        #expect(path.parent == RelativePath("a"))
        #expect(path.name == Array("b.txt".utf8))
        #expect(RelativePath("a").parent == .root)
    }

    @Test func withinIsComponentWise() {
        #expect(RelativePath("a/b").isWithin(RelativePath("a")))
        #expect(!RelativePath("ab/c").isWithin(RelativePath("a")))
        #expect(RelativePath("a").isWithin(.root))
    }

    @Test func prefixReplacementRenamesDescendants() {
        #expect(
            RelativePath("old/x/y.txt").replacingPrefix(RelativePath("old"), with: RelativePath("new/sub"))
                == RelativePath("new/sub/x/y.txt"))
        #expect(
            RelativePath("other/y.txt").replacingPrefix(RelativePath("old"), with: RelativePath("new"))
                == RelativePath("other/y.txt"))
    }

    @Test func descendantRangeHoldsExactlyTheSubtree() {
        let range = RelativePath("a").descendantKeyRange
        func inside(_ p: String) -> Bool {
            let b = Array(p.utf8)
            return !b.lexicographicallyPrecedes(range.lower) && b.lexicographicallyPrecedes(range.upper)
        }
        #expect(inside("a/b"))
        #expect(inside("a/b/c"))
        #expect(!inside("a.txt"))
        #expect(!inside("ab"))
        #expect(!inside("a"))
    }

    @Test func invalidUTF8IsKeptAndShownWithReplacementCharacters() {
        let path = RelativePath(bytes: [0x61, 0xFF, 0x0A, 0x62])
        #expect(!path.isValidUTF8)
        #expect(path.string == nil)
        #expect(path.display == "a\u{FFFD}\nb")
        #expect(path.bytes == [0x61, 0xFF, 0x0A, 0x62])
    }
}
