import NewsCore
import Testing

@testable import Catalogue
@testable import SyncCore

@Suite struct WatchTableTests {
    @Test func descriptorsAreTheKeyAndRecreationReplacesTheOldWatch() {
        var table = WatchTable()
        table.set(1, RelativePath("d"))
        // `rm -rf d && mkdir d`: the new directory gets a new descriptor...
        table.set(2, RelativePath("d"))
        #expect(table.watch(of: RelativePath("d")) == 2)
        // ...and the old one's IN_IGNORED, arriving later, must not drop the new watch.
        table.remove(1)
        #expect(table.watch(of: RelativePath("d")) == 2)
        #expect(table.path(of: 2) == RelativePath("d"))
        #expect(table.count == 1)
    }

    @Test func aRenamedDirectoryTakesItsSubtreeOfWatchesAlong() {
        var table = WatchTable()
        table.set(1, .root)
        table.set(2, RelativePath("a"))
        table.set(3, RelativePath("a/b"))
        table.set(4, RelativePath("ab"))
        table.rename(RelativePath("a"), to: RelativePath("x/y"))
        #expect(table.path(of: 2) == RelativePath("x/y"))
        #expect(table.path(of: 3) == RelativePath("x/y/b"))
        #expect(table.path(of: 4) == RelativePath("ab"))
        #expect(table.watch(of: RelativePath("a")) == nil)
        #expect(Set(table.watches(within: RelativePath("x"))) == [2, 3])
    }
}
