import Foundation
import Glibc
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

@Suite struct OrderedTreeWalkTests {
    /// Every entry comes in the byte order of its whole path, the order of the catalogue's
    /// rows, although a directory's name is a prefix of its neighbours' (`a`, `a-b`, `a0`).
    @Test func entriesComeInTheByteOrderOfTheirPaths() throws {
        let scratch = try Scratch("walk-order")
        let files = [
            "a/x.txt", "a/sub/y.txt", "a-b.txt", "a0.txt", "a b.txt", "A.txt", "ab/z.txt", "b.txt",
            "é.txt", "z/é/deep.txt", "z/e.txt", "a/sub0.txt", "a/sub-1/w.txt",
        ]
        for file in files { try scratch.write("tree/" + file, file) }
        var walk = OrderedTreeWalk(
            tree: Tree(root: scratch.url("tree")), ignore: IgnoreRules(), start: .root)
        var listed: [RelativePath] = []
        var walked: [RelativePath] = []
        while let item = walk.next(beforeListing: { listed.append($0) }) {
            guard case .entry(let entry) = item else {
                Issue.record("unexpected \(item)")
                continue
            }
            walked.append(entry.path)
        }
        #expect(walked == files.map { RelativePath($0) }.sorted())
        #expect(walked.count == files.count)
        #expect(walk.directories == listed.count)
        #expect(Set(listed.map(\.display)) == ["", "a", "a/sub", "a/sub-1", "ab", "z", "z/é"])
    }

    /// A scope that is a file yields that file; one that is gone yields nothing.
    @Test func aFileScopeYieldsItselfAndAGoneScopeNothing() throws {
        let scratch = try Scratch("walk-scope")
        try scratch.write("tree/d/one.txt", "one")
        let tree = Tree(root: scratch.url("tree"))
        var file = OrderedTreeWalk(tree: tree, ignore: IgnoreRules(), start: RelativePath("d/one.txt"))
        guard case .entry(let entry)? = file.next(beforeListing: { _ in }) else {
            Issue.record("the file was not yielded")
            return
        }
        #expect(entry.path == RelativePath("d/one.txt"))
        #expect(file.next(beforeListing: { _ in }) == nil)
        var gone = OrderedTreeWalk(tree: tree, ignore: IgnoreRules(), start: RelativePath("d/none"))
        #expect(gone.next(beforeListing: { _ in }) == nil)
    }
}
