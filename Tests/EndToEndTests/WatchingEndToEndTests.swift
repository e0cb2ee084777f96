import Catalogue
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// Random edits of a tree, of every kind the daemon must follow.
struct TreeMutator {
    let fixture: DaemonFixture
    var rng: SplitMix64
    var counter = 0

    func files() -> [String] {
        TreeSnapshot.take(fixture.root).filter { $0.value != "skipped" }.keys.sorted()
    }

    func directories() -> [String] {
        var result = [""]
        var stack = [""]
        while let dir = stack.popLast() {
            let full = dir.isEmpty ? fixture.root : fixture.path(dir)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []
            where !name.hasPrefix(".") {
                let path = dir.isEmpty ? name : dir + "/" + name
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: fixture.path(path), isDirectory: &isDirectory),
                    isDirectory.boolValue
                {
                    result.append(path)
                    stack.append(path)
                }
            }
        }
        return result.sorted()
    }

    mutating func name(_ prefix: String = "f") -> String {
        counter += 1
        return "\(prefix)\(counter)-\(rng.next() % 1000).txt"
    }

    mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))]
    }

    mutating func text() -> String {
        "article \(rng.next())\n" + String(repeating: "words of news ", count: Int(rng.next() % 50))
    }

    func join(_ dir: String, _ name: String) -> String { dir.isEmpty ? name : dir + "/" + name }

    /// Performs one random operation and returns its description.
    @discardableResult
    mutating func step() throws -> String {
        let fm = FileManager.default
        switch rng.next() % 14 {
        case 0, 1:
            let path = join(pick(directories()) ?? "", name())
            try fixture.write(path, text())
            return "create \(path)"
        case 2:
            guard let path = pick(files()), let handle = FileHandle(forWritingAtPath: fixture.path(path))
            else {
                return "append (none)"
            }
            handle.seekToEndOfFile()
            handle.write(Data("appended \(rng.next())\n".utf8))
            handle.closeFile()
            return "append \(path)"
        case 3:
            guard let path = pick(files()) else { return "overwrite (none)" }
            try fixture.write(path, text())
            return "overwrite \(path)"
        case 4:
            // An editor's atomic save: write a hidden temporary, rename it over the target.
            guard let path = pick(files()) else { return "atomic save (none)" }
            let dir = (path as NSString).deletingLastPathComponent
            let temp = join(dir, ".\((path as NSString).lastPathComponent).swp")
            try fixture.write(temp, text())
            rename(fixture.path(temp), fixture.path(path))
            return "atomic save \(path)"
        case 5:
            guard let path = pick(files()) else { return "rename (none)" }
            let target = join(pick(directories()) ?? "", name("r"))
            rename(fixture.path(path), fixture.path(target))
            return "rename \(path) -> \(target)"
        case 6:
            guard let dir = pick(directories().filter { !$0.isEmpty }) else { return "rename dir (none)" }
            let parent = pick(directories().filter { !$0.hasPrefix(dir) }) ?? ""
            let target = join(parent, "d\(counter)-\(rng.next() % 100)")
            counter += 1
            rename(fixture.path(dir), fixture.path(target))
            return "rename dir \(dir) -> \(target)"
        case 7:
            // Move a directory with contents in from outside the tree.
            let staged = fixture.outside + "/in\(counter)"
            counter += 1
            try fm.createDirectory(atPath: staged + "/nested", withIntermediateDirectories: true)
            for i in 0..<3 {
                _ = fm.createFile(atPath: staged + "/nested/\(i).txt", contents: Data(text().utf8))
            }
            let target = join(pick(directories()) ?? "", "moved-in-\(counter)")
            rename(staged, fixture.path(target))
            return "move in \(target)"
        case 8:
            guard let dir = pick(directories().filter { !$0.isEmpty }) else { return "move out (none)" }
            rename(fixture.path(dir), fixture.outside + "/out\(counter)-\(rng.next())")
            counter += 1
            return "move out \(dir)"
        case 9:
            guard let path = pick(files()) else { return "delete (none)" }
            unlink(fixture.path(path))
            return "delete \(path)"
        case 10:
            guard let dir = pick(directories().filter { !$0.isEmpty }) else { return "delete tree (none)" }
            try? fm.removeItem(atPath: fixture.path(dir))
            return "delete tree \(dir)"
        case 11:
            guard let path = pick(files()) else { return "hard link (none)" }
            let target = join(pick(directories()) ?? "", name("h"))
            link(fixture.path(path), fixture.path(target))
            return "hard link \(path) -> \(target)"
        case 12:
            let dir = join(pick(directories()) ?? "", "p\(counter)/q/r")
            counter += 1
            try fm.createDirectory(atPath: fixture.path(dir), withIntermediateDirectories: true)
            try fixture.write(dir + "/immediate.txt", text())
            return "mkdir -p \(dir) + write"
        default:
            let dir = join(pick(directories()) ?? "", "burst\(counter)")
            counter += 1
            for i in 0..<200 { try fixture.write("\(dir)/b\(i).txt", "burst \(i) \(rng.next())\n") }
            return "burst of 200 in \(dir)"
        }
    }
}

@Suite(.serialized) struct WatchingEndToEndTests {
    /// The paths the change log leaves catalogued when replayed from the start.
    static func replay(_ changes: [ChangeEntry]) -> Set<String> {
        var paths: Set<String> = []
        for change in changes {
            switch change.op {
            case .add, .modify: paths.insert(change.path.display)
            case .delete: paths.remove(change.path.display)
            case .rename:
                if let from = change.from { paths.remove(from.display) }
                paths.insert(change.path.display)
            }
        }
        return paths
    }

    @Test func randomEditsConvergeAfterEachRound() throws {
        let f = try DaemonFixture("converge")
        try f.write("seed/a.txt", "a\n")
        try f.start()
        f.waitForConvergence()
        let (rng, seed) = TestSeed.generator("randomEditsConvergeAfterEachRound", fixed: 20_261_123)
        var mutator = TreeMutator(fixture: f, rng: rng)
        for _ in 0..<6 {
            var done: [String] = []
            for _ in 0..<25 { done.append(try mutator.step()) }
            f.waitForConvergence()
        }
        // The change log replays into exactly what the catalogue holds.
        #expect(Self.replay(try f.changes()) == Set(try f.catalogue().keys), "seed \(seed)")
        #expect(try f.daemon?.stop() == 0)
    }

    @Test func aDirectoryDeletedAndRecreatedThirtyTimesIsStillWatched() throws {
        let f = try DaemonFixture("recreate")
        try f.start()
        for i in 0..<30 {
            try? FileManager.default.removeItem(atPath: f.path("d"))
            try FileManager.default.createDirectory(atPath: f.path("d"), withIntermediateDirectories: true)
            try f.write("d/x\(i).txt", "round \(i)\n")
        }
        f.waitForConvergence()
        // The last `d` is watched: a file written into it now is seen by the watch alone.
        try f.write("d/after.txt", "after\n")
        f.waitForConvergence(timeout: 10)
        #expect(try f.catalogue()["d/after.txt"] != nil)
        #expect(try f.daemon?.stop() == 0)
    }

    @Test func killNineDuringABurstThenChangesWhileDownConvergeOnRestart() throws {
        let f = try DaemonFixture("kill9")
        let daemon = try f.start()
        for i in 0..<3000 { try f.write("burst/\(i % 10)/\(i).txt", "burst file \(i)\n") }
        #expect(
            waitUntil(timeout: 10) { ((try? f.catalogue().count) ?? 0) > 0 },
            "nothing of the burst was committed before the kill\n\(daemon.log.suffix(2000))")
        daemon.kill9()
        // Changes made while the daemon is down.
        for i in 0..<100 { unlink(f.path("burst/\(i % 10)/\(i).txt")) }
        for i in 100..<200 { try f.write("burst/\(i % 10)/\(i).txt", "changed while down \(i)\n") }
        for i in 0..<100 { try f.write("later/\(i).txt", "added while down \(i)\n") }
        rename(f.path("burst/9"), f.path("renamed-while-down"))
        try f.start()
        f.waitForConvergence()
        let database = try AppDatabase.open(stateDirectory: f.state, readOnly: true)
        #expect(try database.integrityCheck() == "ok")
        #expect(try f.daemon?.stop() == 0)
    }

    @Test func anOverflowedQueueIsReconciledAndReported() throws {
        let f = try DaemonFixture("overflow")
        let daemon = try f.start()
        let limit =
            Int(
                (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "16384") ?? 16384
        daemon.signal(SIGSTOP)
        // Each new file in a watched directory queues two events (create, close-write).
        for i in 0..<(limit / 2 + 500) { try f.write("flood-\(i).txt", "\(i)\n") }
        daemon.signal(SIGCONT)
        f.waitForConvergence(timeout: 120)
        #expect(daemon.log.contains("the inotify queue overflowed"), "\(daemon.log.suffix(2000))")
        #expect(try daemon.stop() == 0)
    }

    @Test func aVanishedRootKeepsTheCatalogueAndIsReconciledWhenItReturns() throws {
        let f = try DaemonFixture("root")
        try f.write("a.txt", "a\n")
        try f.write("sub/b.txt", "b\n")
        let daemon = try f.start()
        f.waitForConvergence()
        let before = try f.changes().count
        // The root goes away at once, as an unmount does (an `rm -rf` would delete the files
        // one by one first, and those deletes are real).
        #expect(rename(f.root, f.outside + "/away") == 0)
        #expect(
            waitUntil(timeout: 20) { daemon.log.contains("the watched root cannot be trusted") },
            "\(daemon.log)")
        // Nothing was read as deleted.
        #expect(try f.changes().count == before)
        #expect(try f.catalogue().count == 2)
        try f.write("a.txt", "a\n")
        try f.write("new.txt", "new\n")
        f.waitForConvergence(timeout: 30)
        #expect(daemon.log.contains("the watched root can be trusted again"))
        #expect(try daemon.stop() == 0)
    }

    @Test func aSecondDaemonOnTheSameStateDirectoryIsRefusedNamingThePid() throws {
        let f = try DaemonFixture("lock")
        let first = try f.start()
        let second = try run(Binaries.newsd, ["run", "--root", f.root, "--state", f.state], timeout: 20)
        #expect(second.status == 1)
        #expect(second.stderr.contains("pid \(first.pid)"), "\(second)")
        #expect(try first.stop() == 0)
    }

    @Test func aScanOnADaemonsStateDirectoryIsRefusedPointingAtRescan() throws {
        let f = try DaemonFixture("scan-lock")
        let daemon = try f.start()
        let scan = try run(Binaries.newsd, ["scan", "--root", f.root, "--state", f.state], timeout: 20)
        #expect(scan.status == 1)
        #expect(scan.stderr.contains("pid \(daemon.pid)"), "\(scan)")
        #expect(scan.stderr.contains("newsctl rescan"), "\(scan)")
        #expect(try daemon.stop() == 0)
        // With the daemon gone, the scan runs.
        #expect(
            try run(Binaries.newsd, ["scan", "--root", f.root, "--state", f.state], timeout: 60).status == 0)
    }

    /// SIGTERM commits the batch in flight and exits; what was still queued is the next start's
    /// to find. The catalogue the daemon left is read before a restart reads the tree again:
    /// what was committed before the signal is still there, each entry is its file as it is, and
    /// the change log holds each one. The restart then only adds what was left.
    @Test func sigtermWithABurstInFlightExitsCleanlyAndLosesNothing() throws {
        let f = try DaemonFixture("sigterm")
        let daemon = try f.start()
        for i in 0..<2000 { try f.write("burst/\(i % 10)/\(i).txt", "burst \(i)\n") }
        // The signal lands once the burst is being committed.
        #expect(
            waitUntil(timeout: 30) { ((try? f.catalogue().count) ?? 0) > 0 },
            "nothing of the burst was committed\n\(daemon.log.suffix(2000))")
        let committedBefore = try f.catalogue()
        let started = Date()
        #expect(try daemon.stop(timeout: 10) == 0)
        #expect(Date().timeIntervalSince(started) < 5)
        // The services stopped in the documented order (`NewsDaemon.services`).
        let log = daemon.log
        let stops = [
            "control socket closed", "engine stopped", "change-log retention stopped", "checkpointer stopped",
        ].map { line in log.range(of: line)?.lowerBound }
        #expect(stops.allSatisfy { $0 != nil }, "a service did not log its stop\n\(log.suffix(2000))")
        let found = stops.compactMap { $0 }
        #expect(found == found.sorted(), "the services stopped out of order\n\(log.suffix(2000))")

        let database = try AppDatabase.open(stateDirectory: f.state, readOnly: true)
        #expect(try database.integrityCheck() == "ok")
        let left = try f.catalogue()
        let tree = TreeSnapshot.take(f.root)
        let lost = committedBefore.keys.filter { left[$0] != committedBefore[$0] }.sorted()
        #expect(lost.isEmpty, "\(lost.count) committed before SIGTERM, not after: \(lost.prefix(5))")
        let wrong = left.keys.filter { tree[$0] != left[$0] }.sorted()
        #expect(wrong.isEmpty, "\(wrong.count) catalogued unlike their files: \(wrong.prefix(5))")
        let changes = try f.changes()
        let unlogged = Set(left.keys).symmetricDifference(Self.replay(changes)).sorted()
        #expect(unlogged.isEmpty, "\(unlogged.count) differ from the change log: \(unlogged.prefix(5))")
        let lastSeq = changes.map(\.seq).max() ?? 0

        try f.start()
        f.waitForConvergence()
        // The restart adds what was still queued and redoes nothing that was committed.
        let restart = try f.changes().filter { $0.seq > lastSeq }
        #expect(restart.allSatisfy { $0.op == .add }, "\(restart.filter { $0.op != .add }.prefix(5))")
        #expect(Set(restart.map(\.path.display)) == Set(tree.keys).subtracting(left.keys))
        #expect(try f.daemon?.stop() == 0)
    }

    @Test func systemdHearsReadyStatusWatchdogAndStopping() throws {
        let f = try DaemonFixture("notify")
        try f.write("a.txt", "a\n")
        let daemon = try f.start(environment: ["WATCHDOG_USEC": "200000"])
        #expect(daemon.notifications.contains { $0.contains("READY=1") && $0.contains("STATUS=") })
        #expect(waitUntil(timeout: 10) { daemon.notifications.filter { $0 == "WATCHDOG=1" }.count >= 3 })
        #expect(try daemon.stop() == 0)
        #expect(daemon.waitForNotification("STOPPING=1", timeout: 5))
    }

    /// `systemctl reload`: systemd hears RELOADING=1, then READY=1 once the tree has been
    /// scanned again.
    @Test func sighupRescansTheTree() throws {
        let f = try DaemonFixture("sighup")
        try f.write("a.txt", "a\n")
        let daemon = try f.start()
        let startUpScan = try #require(try f.status().lastFullScan)
        let heardBefore = daemon.notifications.count
        daemon.signal(SIGHUP)
        func fields(_ message: String) -> [Substring] { message.split(separator: "\n") }
        var reload: [String] = []
        let reloaded = waitUntil(timeout: 20) {
            reload = Array(daemon.notifications.dropFirst(heardBefore))
            guard let reloading = reload.firstIndex(where: { fields($0).contains("RELOADING=1") }) else {
                return false
            }
            return reload[(reloading + 1)...].contains { fields($0).contains("READY=1") }
        }
        #expect(reloaded, "notifications after SIGHUP: \(reload)")
        let rescan = try f.status().lastFullScan
        #expect(rescan.map { $0 > startUpScan } == true, "last full scan \(String(describing: rescan))")
        #expect(try daemon.stop() == 0)
    }
}
