import ControlWire
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// An archive that is unmounted, emptied at once, or has a filesystem unmounted inside it is a
/// fault the daemon reports and waits out: never a change log of deletes.
@Suite(.serialized) struct RootFaultEndToEndTests {
    static let mountComment: Comment = "mounting a tmpfs needs root or CAP_SYS_ADMIN; CI runs as root"

    /// Waits for `status` to satisfy `condition`, returning the last status seen.
    private func waitForStatus(
        _ f: DaemonFixture, timeout: Double = 20, _ condition: (StatusResult) -> Bool
    ) -> StatusResult? {
        var last: StatusResult?
        _ = waitUntil(timeout: timeout) {
            last = try? f.status()
            return last.map(condition) ?? false
        }
        return last
    }

    private func deletes(_ f: DaemonFixture) throws -> Int {
        try f.changes().count { $0.op == .delete }
    }

    @Test(.enabled(if: Tmpfs.isAvailable, mountComment))
    func anUnmountedRootIsDegradedKeepsTheCatalogueAndANewMountIsReconciledUnasked() throws {
        let f = try DaemonFixture("unmount-root")
        #expect(Tmpfs.mount(at: f.root))
        defer { Tmpfs.unmount(f.root) }
        for i in 0..<10 { try f.write("a\(i).txt", "article \(i)\n") }
        let daemon = try f.start()
        f.waitForConvergence()
        #expect(Tmpfs.unmount(f.root))
        let degraded = waitForStatus(f) { $0.state == "degraded" }
        #expect(degraded?.state == "degraded", "\(daemon.log.suffix(2000))")
        #expect(
            degraded?.warnings.contains { $0.contains("was unmounted") } == true,
            "\(String(describing: degraded))")
        #expect(try deletes(f) == 0)
        #expect(try f.catalogue().count == 10)
        // A consumer is told, not handed an empty tree.
        let sync = try f.newsctl(["sync"])
        #expect(sync.status != 0)
        #expect(sync.stderr.contains("unmounted"), "\(sync)")
        #expect {
            _ = try f.client().callRaw(ControlMethod.sync.rawValue, NoParams())
        } throws: { error in
            guard case ControlClientError.remote(let remote) = error else { return false }
            return remote.code == .rootUnavailable
        }
        // Another filesystem mounted on the same path: reconciled without a rescan.
        #expect(Tmpfs.mount(at: f.root))
        for i in 0..<8 { try f.write("b\(i).txt", "other \(i)\n") }
        f.waitForConvergence(timeout: 30)
        #expect(waitForStatus(f) { $0.state == "watching" && $0.warnings.isEmpty }?.state == "watching")
        #expect(try deletes(f) == 10)
        #expect(try daemon.stop() == 0)
    }

    @Test(.enabled(if: Tmpfs.isAvailable, mountComment))
    func aDaemonStartedWhileTheRootIsUnmountedWaitsForTheMount() throws {
        let f = try DaemonFixture("boot-unmounted")
        #expect(Tmpfs.mount(at: f.root))
        defer { Tmpfs.unmount(f.root) }
        for i in 0..<4 { try f.write("a\(i).txt", "article \(i)\n") }
        var daemon = try f.start()
        f.waitForConvergence()
        #expect(try daemon.stop() == 0)
        // The disk is not mounted yet when the daemon starts (a boot where it comes late).
        #expect(Tmpfs.unmount(f.root))
        daemon = try f.start()
        #expect(
            waitForStatus(f) { $0.state == "degraded" }?.state == "degraded", "\(daemon.log.suffix(2000))")
        #expect(try deletes(f) == 0)
        #expect(try f.catalogue().count == 4)
        // It comes, with the same files and a fifth one (bound from a directory prepared
        // outside the tree, so that every file is there the moment it is mounted).
        for i in 0..<5 { try f.scratch.write("outside/disk/a\(i).txt", "article \(i)\n") }
        #expect(Tmpfs.bind(f.outside + "/disk", at: f.root))
        f.waitForConvergence(timeout: 30)
        #expect(try deletes(f) == 0)
        #expect(try daemon.stop() == 0)
    }

    @Test func aRootEmptiedAtOnceIsDegradedUntilRescanAcceptsIt() throws {
        let f = try DaemonFixture("emptied")
        for i in 0..<6 { try f.write("dir/a\(i).txt", "article \(i)\n") }
        try f.write("b.txt", "b\n")
        let daemon = try f.start()
        f.waitForConvergence()
        // Everything goes between two looks at the tree (paused, the daemon sees it all at once).
        #expect(try f.newsctl(["pause"]).status == 0)
        try FileManager.default.removeItem(atPath: f.path("dir"))
        try FileManager.default.removeItem(atPath: f.path("b.txt"))
        let resumed = try f.newsctl(["resume"])
        #expect(resumed.stderr.contains("--accept-root"), "\(resumed)")
        let degraded = waitForStatus(f) { $0.state == "degraded" }
        #expect(
            degraded?.warnings.contains { $0.contains("--accept-root") } == true, "\(daemon.log.suffix(2000))"
        )
        #expect(try deletes(f) == 0)
        #expect(try f.catalogue().count == 7)
        // The rescan without the flag keeps refusing; with it, the empty tree is the truth.
        let refused = try f.newsctl(["rescan", "--wait"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--accept-root"), "\(refused)")
        let accepted = try f.newsctl(["rescan", "--wait", "--accept-root"])
        #expect(accepted.status == 0, "\(accepted)")
        #expect(try deletes(f) == 7)
        #expect(try f.catalogue().isEmpty)
        #expect(waitForStatus(f) { $0.state == "watching" && $0.warnings.isEmpty }?.state == "watching")
        // And it watches again.
        try f.write("c.txt", "c\n")
        f.waitForConvergence()
        #expect(try daemon.stop() == 0)
    }

    @Test func aRootEmptiedAndFilledAgainIsReconciledOnItsOwn() throws {
        let f = try DaemonFixture("refilled")
        for i in 0..<3 { try f.write("a\(i).txt", "article \(i)\n") }
        let daemon = try f.start()
        f.waitForConvergence()
        #expect(try f.newsctl(["pause"]).status == 0)
        for i in 0..<3 { try FileManager.default.removeItem(atPath: f.path("a\(i).txt")) }
        _ = try f.newsctl(["resume"])
        #expect(
            waitForStatus(f) { $0.state == "degraded" }?.state == "degraded", "\(daemon.log.suffix(2000))")
        try f.write("a0.txt", "article 0\n")
        try f.write("new.txt", "new\n")
        f.waitForConvergence(timeout: 30)
        #expect(waitForStatus(f) { $0.state == "watching" }?.state == "watching")
        #expect(try daemon.stop() == 0)
    }

    @Test(.enabled(if: Tmpfs.isAvailable, mountComment))
    func aFilesystemUnmountedInsideTheTreeKeepsItsFilesAndIsPolledUntilMountedAgain() throws {
        let f = try DaemonFixture("unmount-sub")
        try f.write("top.txt", "top\n")
        try f.scratch.mkdir("tree/disk")
        let disk = f.path("disk")
        #expect(Tmpfs.mount(at: disk))
        defer { Tmpfs.unmount(disk) }
        for i in 0..<5 { try f.write("disk/x\(i).txt", "x \(i)\n") }
        let daemon = try f.start()
        f.waitForConvergence()
        #expect(Tmpfs.unmount(disk))
        let degraded = waitForStatus(f) { $0.state == "degraded" }
        #expect(
            degraded?.warnings.contains { $0.contains("mounted at \(disk) was unmounted") } == true,
            "\(String(describing: degraded)) \(daemon.log.suffix(2000))")
        #expect(try deletes(f) == 0)
        #expect(try f.catalogue().count == 6)
        // Files elsewhere in the tree are still watched meanwhile.
        try f.write("elsewhere.txt", "e\n")
        #expect(waitUntil(timeout: 20) { (try? f.catalogue().count) == 7 })
        // Mounted again, with other files.
        #expect(Tmpfs.mount(at: disk))
        try f.write("disk/y.txt", "y\n")
        f.waitForConvergence(timeout: 30)
        #expect(waitForStatus(f) { $0.state == "watching" && $0.warnings.isEmpty }?.state == "watching")
        #expect(try deletes(f) == 5)
        #expect(try daemon.stop() == 0)
    }

    @Test func aScanOfAnEmptiedRootKeepsTheCatalogueUntilTheFlagAcceptsIt() throws {
        let f = try DaemonFixture("scan-emptied")
        try f.write("a.txt", "a\n")
        try f.write("sub/b.txt", "b\n")
        let scan = ["scan", "--root", f.root, "--state", f.state]
        #expect(try run(Binaries.newsd, scan, timeout: 60).status == 0)
        try FileManager.default.removeItem(atPath: f.path("a.txt"))
        try FileManager.default.removeItem(atPath: f.path("sub"))
        let refused = try run(Binaries.newsd, scan, timeout: 60)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is empty while the catalogue holds 2 file(s)"), "\(refused)")
        #expect(refused.stderr.contains("--accept-root"), "\(refused)")
        #expect(try f.catalogue().count == 2)
        let accepted = try run(Binaries.newsd, scan + ["--accept-root"], timeout: 60)
        #expect(accepted.status == 0, "\(accepted)")
        #expect(try f.catalogue().isEmpty)
        #expect(try deletes(f) == 2)
    }
}
