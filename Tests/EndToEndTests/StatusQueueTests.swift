import Catalogue
import ControlWire
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// `status` never says the catalogue is current while changes wait: its `queue` counts every
/// change not yet committed, it answers while the writer is busy, and `queue` 0 with state
/// `watching` means a `sync` has nothing left to commit.
///
/// To make the pending state certain rather than a matter of speed, the tests hold the
/// catalogue's write lock from outside for a while (the daemon's writer waits for it, as it
/// would for any other SQLite connection, up to its 10 s busy timeout): the writer is then
/// busy with a transaction it cannot commit, however fast the machine, and no poll can come
/// too late to see the work pending.
@Suite(.serialized) struct StatusQueueTests {
    /// A burst of distinct files created while the daemon watches and its writer is held.
    @Test func aBurstIsPendingUntilCommittedAndQueueZeroMeansSyncHasNothingLeft() throws {
        let fixture = try DaemonFixture("status-queue")
        // The directory exists before the daemon starts, so that every file of the burst has
        // events of its own (a directory still being walked counts as one item, whatever it
        // holds, and this test checks that no file is ever counted nowhere).
        try fixture.scratch.mkdir("tree/burst")
        try fixture.start()
        // The engine is in its loop (the warm-up after READY is over) and has nothing to do.
        try fixture.sync()
        let client = try fixture.client()
        func status() throws -> StatusResult {
            try client.call(ControlMethod.status.rawValue, NoParams(), as: StatusResult.self)
        }
        let before = try status()
        #expect(before.queue == 0 && before.files == 0, "\(before)")

        let count = Self.burstSize
        let lock = try CatalogueWriteLock(fixture.state + "/" + AppDatabase.fileName)
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<count {
            try fixture.write(String(format: "burst/f%05d.txt", index), "burst article number \(index)\n")
        }

        // Every file is now created: whatever the daemon has done with it, it is committed or
        // counted. The writer cannot commit while the lock is held, so the burst is pending.
        var held = try status()
        Self.expectEveryFileCounted(held, count)
        #expect(held.files == 0 && held.queue >= count, "\(held)")
        // `status` answers while the writer waits in its transaction. Held until the
        // transaction has run for over a second, so that its progress must be logged.
        let stuck = try waitUntil(timeout: 60) {
            held = try status()
            Self.expectEveryFileCounted(held, count)
            return (held.transaction?.seconds ?? 0) > 1.1
        }
        #expect(stuck, "no transaction in flight while the catalogue's write lock is held: \(held)")
        #expect(held.state == DaemonState.watching.rawValue && held.queue >= count, "\(held)")
        #expect(held.transaction?.applied == 0, "the writer cannot have begun: \(held)")
        try lock.release()

        // From now on the daemon catches up: poll until it says it is done.
        var observed = [held]
        var idle: StatusResult?
        let caughtUp = try waitUntil(timeout: 600) {
            let current = try status()
            observed.append(current)
            Self.expectEveryFileCounted(current, count)
            guard current.queue == 0, current.state == DaemonState.watching.rawValue else { return false }
            idle = current
            return true
        }
        let elapsed = clock.now - started
        #expect(caughtUp)
        let last = try #require(
            idle,
            "the daemon never caught up: \(observed.suffix(3))\n\(fixture.daemon?.log.suffix(3000) ?? "")")

        // queue 0 + watching: the catalogue already holds every file, and a sync commits nothing.
        #expect(last.files == count, "\(last)")
        #expect(
            last.pending
                == PendingRecord(events: 0, settling: 0, walking: 0, ingesting: 0, reconcilesWaiting: 0))
        #expect(last.transaction == nil)
        let synced = try fixture.sync()
        #expect(
            synced.lastSeq == last.lastSeq, "sync had changes left to commit after queue 0: \(synced) \(last)"
        )
        let catalogued = try fixture.catalogue().keys.filter { $0.hasPrefix("burst/") }
        #expect(catalogued.count == count)

        // The long transaction's progress was logged at debug level, at most once a second.
        let log = fixture.daemon?.log ?? ""
        let progressLines = log.split(separator: "\n").filter { $0.contains("transaction in progress") }
        #expect(log.contains("long transaction committed"), "\(log.suffix(3000))")
        #expect(!progressLines.isEmpty, "\(log.suffix(3000))")
        #expect(progressLines.count <= Int(elapsed.components.seconds) + 1, "\(progressLines.count) lines")
    }

    /// A rescan asked for counts as pending from the request on, even while the engine is busy
    /// and cannot begin it; the full reconcile then runs as `scanning`.
    @Test func aRequestedRescanIsPendingUntilItHasRun() throws {
        let fixture = try DaemonFixture("status-rescan")
        try fixture.write("a.txt", "a\n")
        try fixture.start()
        try fixture.sync()
        let client = try fixture.client()
        func status() throws -> StatusResult {
            try client.call(ControlMethod.status.rawValue, NoParams(), as: StatusResult.self)
        }
        let startUpScan = try #require(try status().lastFullScan)

        // Keep the engine busy in a transaction it cannot commit, then ask for a rescan.
        let lock = try CatalogueWriteLock(fixture.state + "/" + AppDatabase.fileName)
        try fixture.write("b.txt", "b\n")
        var current = try status()
        let busy = try waitUntil(timeout: 60) {
            current = try status()
            return current.transaction != nil
        }
        #expect(busy, "\(current)")
        _ = try client.call(ControlMethod.rescan.rawValue, RescanParams(wait: false), as: RescanReport.self)
        current = try status()
        #expect(current.pending?.reconcilesWaiting == 1 && current.queue >= 2, "\(current)")
        // newsctl says where the work is, and what the writer is doing.
        let human = try fixture.newsctl(["status"])
        #expect(human.stdout.contains("1 full reconcile(s) due"), "\(human)")
        #expect(human.stdout.contains("a transaction of 1 operations, 0 applied"), "\(human)")
        try lock.release()

        var idle: StatusResult?
        let done = try waitUntil(timeout: 120) {
            current = try status()
            let rescanned = (current.lastFullScan ?? 0) > startUpScan
            if current.queue == 0 && current.state == DaemonState.watching.rawValue {
                // Done means done: the rescan has run, not just been forgotten.
                #expect(rescanned, "queue 0 + watching before the requested rescan ran: \(current)")
                idle = current
                return true
            }
            return false
        }
        #expect(done, "\(current)")
        let last = try #require(idle)
        #expect(last.files == 2)
        #expect(try fixture.sync().lastSeq == last.lastSeq)
    }

    /// Files in the burst: a few thousand, and few enough that their events (two each) fit in
    /// the kernel's queue while the engine is held (an overflow would make it a full reconcile).
    static var burstSize: Int {
        let limit = Inotify.maxQueuedEvents ?? 16_384
        return min(2_000, limit / 4)
    }

    /// Every file of the burst is either in the catalogue or in the queue (a file counted
    /// twice, committed and with events still unread, is fine; counted nowhere is not).
    static func expectEveryFileCounted(
        _ status: StatusResult, _ count: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            status.files + status.queue >= count,
            "status counts \(status.files) files catalogued and \(status.queue) pending of \(count): \(status)",
            sourceLocation: sourceLocation)
    }
}
