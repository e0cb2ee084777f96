import Foundation
import Glibc
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

/// The watcher against the real kernel: events are read back from inotify.
@Suite struct DirectoryWatcherTests {
    func drainUntil(_ watcher: DirectoryWatcher, _ done: ([WatchSignal]) -> Bool) -> [WatchSignal] {
        var signals: [WatchSignal] = []
        _ = waitUntil(timeout: 5) {
            signals += watcher.drain()
            return done(signals)
        }
        return signals
    }

    @Test func aRenameInsideTheTreeIsPairedAndItsWatchesFollow() throws {
        let scratch = try Scratch("watcher")
        try scratch.mkdir("tree/a/sub")
        let tree = Tree(root: scratch.url("tree"))
        let watcher = try DirectoryWatcher(tree: tree, ignore: IgnoreRules())
        for dir in [RelativePath.root, RelativePath("a"), RelativePath("a/sub")] {
            #expect(watcher.watch(dir) == nil)
        }
        #expect(watcher.watchCount == 3)
        rename(scratch.url("tree/a"), scratch.url("tree/b"))
        let signals = drainUntil(watcher) {
            $0.contains(.moved(from: RelativePath("a"), to: RelativePath("b")))
        }
        #expect(signals.contains(.moved(from: RelativePath("a"), to: RelativePath("b"))))
        // An event inside the renamed directory now carries its new path.
        try scratch.write("tree/b/sub/new.txt", "x\n")
        let later = drainUntil(watcher) {
            $0.contains(.changed(RelativePath("b/sub/new.txt"), awaitingClose: false))
        }
        #expect(later.contains(.changed(RelativePath("b/sub/new.txt"), awaitingClose: false)))
    }

    @Test func ignoredNamesAreDroppedAndACreatedFileAwaitsItsClose() throws {
        let scratch = try Scratch("watcher")
        try scratch.mkdir("tree")
        let watcher = try DirectoryWatcher(tree: Tree(root: scratch.url("tree")), ignore: IgnoreRules())
        #expect(watcher.watch(.root) == nil)
        let fd = open(scratch.url("tree/open.txt"), O_WRONLY | O_CREAT, 0o644)
        try scratch.write("tree/.hidden", "h\n")
        try scratch.write("tree/x.tmp", "t\n")
        let created = drainUntil(watcher) { !$0.isEmpty }
        #expect(created == [.changed(RelativePath("open.txt"), awaitingClose: true)])
        close(fd)
        let closed = drainUntil(watcher) { !$0.isEmpty }
        #expect(closed == [.changed(RelativePath("open.txt"), awaitingClose: false)])
    }

    @Test func aDirectoryMovedOutLosesItsWatchesOnceSettled() throws {
        let scratch = try Scratch("watcher")
        try scratch.mkdir("tree/a/sub")
        try scratch.mkdir("outside")
        let watcher = try DirectoryWatcher(tree: Tree(root: scratch.url("tree")), ignore: IgnoreRules())
        for dir in [RelativePath.root, RelativePath("a"), RelativePath("a/sub")] {
            #expect(watcher.watch(dir) == nil)
        }
        rename(scratch.url("tree/a"), scratch.url("outside/a"))
        let signals = drainUntil(watcher) { !$0.isEmpty }
        #expect(signals == [.changed(RelativePath("a"), awaitingClose: false)])
        watcher.settle([RelativePath("a")])
        #expect(watcher.watchCount == 1)
        // Writes in the moved-out directory are no longer reported as if they were in the tree.
        try scratch.write("outside/a/sub/f.txt", "f\n")
        try scratch.write("tree/in.txt", "i\n")
        let after = drainUntil(watcher) {
            $0.contains(.changed(RelativePath("in.txt"), awaitingClose: false))
        }
        #expect(
            !after.contains {
                if case .changed(let p, _) = $0 { return p.isWithin(RelativePath("a")) } else { return false }
            })
    }

    @Test func theRootGoingAwayIsReported() throws {
        let scratch = try Scratch("watcher")
        try scratch.mkdir("tree")
        let watcher = try DirectoryWatcher(tree: Tree(root: scratch.url("tree")), ignore: IgnoreRules())
        #expect(watcher.watch(.root) == nil)
        rmdir(scratch.url("tree"))
        let signals = drainUntil(watcher) { $0.contains(.rootLost) }
        #expect(signals.contains(.rootLost))
    }
}
