import Foundation
import Glibc
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

/// What stands between an unmounted or emptied archive and a change log of deletes.
@Suite struct RootGuardTests {
    /// A catalogued tree of two files (one in a subdirectory), both since deleted.
    static func emptiedTree() throws -> ReconcilerFixture {
        let f = try ReconcilerFixture()
        try f.write("a.txt", "alpha\n")
        try f.write("sub/b.txt", "beta\n")
        try f.scan()
        try FileManager.default.removeItem(atPath: f.path("a.txt"))
        try FileManager.default.removeItem(atPath: f.path("sub"))
        return f
    }

    @Test func anEmptiedRootKeepsTheCatalogueUntilItIsAccepted() throws {
        let f = try Self.emptiedTree()
        #expect(throws: RootUnavailable(root: f.reconciler.tree.root, cause: .emptied(files: 2))) {
            try f.scan()
        }
        #expect(try f.entries().count == 2)
        #expect(try f.database.changes(after: 0, limit: 100).count == 2)
        waitForClockTick()
        let accepted = try f.reconciler.reconcile([.root], acceptingRoot: true)
        #expect(Set(accepted.changes.map(\.op)) == [.delete])
        #expect(try f.entries().isEmpty)
    }

    /// A scoped pass is the kernel's report that these paths changed: deletes seen as they
    /// happened are deletes, the last file of the tree too.
    @Test func deletesOfScopedPassesAreOrdinaryEvenWhenTheyEmptyTheTree() throws {
        let f = try Self.emptiedTree()
        let report = try f.scan([RelativePath("a.txt"), RelativePath("sub")])
        #expect(report.changeCount == 2)
        #expect(try f.entries().isEmpty)
    }

    @Test func deletingSomeOfTheFilesIsAnOrdinaryDelete() throws {
        let f = try ReconcilerFixture()
        try f.write("a.txt", "alpha\n")
        try f.write("b.txt", "beta\n")
        try f.scan()
        try FileManager.default.removeItem(atPath: f.path("a.txt"))
        let report = try f.scan([RelativePath("a.txt")])
        #expect(report.changes.map(\.path) == [RelativePath("a.txt")])
    }

    @Test func theRootsIdentityIsRecordedAndAReplacedRootIsReported() throws {
        let f = try ReconcilerFixture()
        try f.write("a.txt", "alpha\n")
        let first = try f.scan()
        #expect(first.rootReplaced == nil)
        let recorded = try #require(try f.database.trustedRootIdentity().flatMap(RootIdentity.init(stored:)))
        #expect(recorded == (try RootIdentity.current(of: f.reconciler.tree)))
        #expect(!recorded.isMountPoint)
        // The directory replaced by another one that holds files: trusted, reported, recorded.
        try FileManager.default.moveItem(atPath: f.path(""), toPath: f.scratch.url("old-tree"))
        try f.write("b.txt", "beta\n")
        let second = try f.scan()
        #expect(second.rootReplaced?.replaced == recorded)
        #expect(try f.entries().keys.sorted() == ["b.txt"])
    }

    @Test func storedIdentitiesRoundTrip() {
        let identity = RootIdentity(device: 2049, inode: 42, isMountPoint: true)
        #expect(RootIdentity(stored: identity.stored) == identity)
        #expect(RootIdentity(stored: "2049:42") == nil)
        #expect(RootIdentity(stored: "x:42:mount") == nil)
        // 259:300, as the kernel packs a dev_t (a minor over 255 spills above the major).
        let device: UInt64 = (259 << 8) | (300 & 0xff) | ((300 & ~0xff) << 12)
        #expect(
            RootIdentity(device: device, inode: 1, isMountPoint: false).description.hasPrefix(
                "device 259:300,"))
    }

    @Test func mountTablePathsAreUnescaped() {
        #expect(MountTable.unescaped(ArraySlice(Array(#"/a\040b\134c"#.utf8))) == Array(#"/a b\c"#.utf8))
        #expect(MountTable.unescaped(ArraySlice(Array(#"/tail\04"#.utf8))) == Array(#"/tail\04"#.utf8))
    }

    @Test(.enabled(if: Tmpfs.isAvailable, "mounting a tmpfs needs root or CAP_SYS_ADMIN; CI runs as root"))
    func anUnmountedRootIsNotReadAsDeletedAndANewFilesystemIsTheTruth() throws {
        let f = try ReconcilerFixture()
        let root = f.path("")
        #expect(Tmpfs.mount(at: root))
        defer { Tmpfs.unmount(root) }
        try f.write("a.txt", "alpha\n")
        try f.write("b.txt", "beta\n")
        try f.scan()
        #expect(try RootIdentity.current(of: f.reconciler.tree).isMountPoint)
        // Unmounted: the directory underneath is empty, and not to be believed.
        #expect(Tmpfs.unmount(root))
        #expect(throws: RootUnavailable(root: f.reconciler.tree.root, cause: .unmounted)) { try f.scan() }
        // Files in the directory underneath do not make it the archive either.
        try f.write("stray.txt", "stray\n")
        #expect(throws: RootUnavailable(root: f.reconciler.tree.root, cause: .unmounted)) { try f.scan() }
        try FileManager.default.removeItem(atPath: f.path("stray.txt"))
        #expect(try f.entries().count == 2)
        // A new filesystem mounted there: what it holds is the truth.
        #expect(Tmpfs.mount(at: root))
        try f.write("c.txt", "gamma\n")
        // (A fresh tmpfs may get the device number the old one had: the same identity.)
        try f.scan()
        #expect(try f.entries().keys.sorted() == ["c.txt"])
    }

    @Test(.enabled(if: Tmpfs.isAvailable, "mounting a tmpfs needs root or CAP_SYS_ADMIN; CI runs as root"))
    func aFilesystemUnmountedInsideTheTreeKeepsItsFilesUntilOneIsMountedAgainOrAccepted() throws {
        let f = try ReconcilerFixture()
        try f.write("top.txt", "top\n")
        try f.scratch.mkdir("tree/disk")
        let disk = f.path("disk")
        #expect(Tmpfs.mount(at: disk))
        defer { Tmpfs.unmount(disk) }
        try f.write("disk/x.txt", "x\n")
        try f.write("disk/deep/y.txt", "y\n")
        try f.scan()
        #expect(try f.entries().count == 3)
        #expect(Tmpfs.unmount(disk))
        for scopes in [[RelativePath.root], [RelativePath("disk")]] {
            let report = try f.scan(scopes)
            #expect(report.changeCount == 0)
            #expect(report.unmounted == [RelativePath("disk"): 2])
        }
        #expect(try f.entries().count == 3)
        // Mounted again with other files: the truth.
        #expect(Tmpfs.mount(at: disk))
        try f.write("disk/z.txt", "z\n")
        let remounted = try f.scan([RelativePath("disk")])
        #expect(remounted.unmounted.isEmpty)
        #expect(try f.entries().keys.sorted() == ["disk/z.txt", "top.txt"])
        // Unmounted again, and accepted as it is.
        #expect(Tmpfs.unmount(disk))
        #expect(try f.scan().unmounted == [RelativePath("disk"): 1])
        waitForClockTick()
        let accepted = try f.reconciler.reconcile([.root], acceptingRoot: true)
        #expect(accepted.unmounted.isEmpty)
        #expect(try f.entries().keys.sorted() == ["top.txt"])
    }
}
