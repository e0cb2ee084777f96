import Foundation
import GRDB
import Logging
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import Dedup
@testable import SyncCore

/// The daemon's background checkpointer: it copies the WAL into the catalogue on its own
/// connection, with the writer's automatic checkpoints off until it stops.
@Suite struct WALCheckpointerTests {
    func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    func automaticCheckpointPages(_ database: AppDatabase) throws -> Int? {
        try database.writer.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint")
        }
    }

    @Test func copiesTheWALIntoTheCatalogueAndHandsCheckpointsBackOnStop() throws {
        let f = try ReconcilerFixture()
        let catalogue = f.database.path
        let checkpointer = WALCheckpointer(
            database: f.database, thresholdBytes: 1, interval: .milliseconds(10))
        try checkpointer.start()
        #expect(try automaticCheckpointPages(f.database) == 0)
        let before = size(catalogue)
        // Well under SQLite's own 1,000-page checkpoint: only the checkpointer copies it.
        for i in 0..<200 {
            try f.write("a/\(i).txt", "article \(i) " + String(repeating: "word\(i) ", count: 100))
        }
        try f.scan()
        let deadline = Date().addingTimeInterval(10)
        while size(catalogue) <= before && Date() < deadline {
            usleep(5_000)
        }
        #expect(size(catalogue) > before, "the WAL was never copied into \(catalogue)")
        checkpointer.stop()
        #expect(try automaticCheckpointPages(f.database) == 1000)
        #expect(try f.database.integrityCheck() == "ok")
    }

    /// As a service (`run`): it checkpoints while it runs, and when it ends (graceful
    /// shutdown, or cancellation as here) hands checkpoints back to the writer and returns.
    @Test func asAServiceItCheckpointsUntilGracefulShutdown() async throws {
        let f = try ReconcilerFixture()
        let catalogue = f.database.path
        let checkpointer = WALCheckpointer(
            database: f.database, thresholdBytes: 1, interval: .milliseconds(10))
        let running = Task { try await checkpointer.run() }
        // Running: the writer's own checkpoints are off. The deadlines only bound a failure:
        // on a 2-core machine the cooperative pool has two threads, and the synchronous
        // end-to-end tests running beside this one can hold both for over a minute before the
        // service's task is first scheduled.
        let patience: TimeInterval = 300
        var deadline = Date().addingTimeInterval(patience)
        while try automaticCheckpointPages(f.database) != 0 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try automaticCheckpointPages(f.database) == 0)
        let before = size(catalogue)
        for i in 0..<200 {
            try f.write("a/\(i).txt", "article \(i) " + String(repeating: "word\(i) ", count: 100))
        }
        try f.scan()
        deadline = Date().addingTimeInterval(patience)
        while size(catalogue) <= before && Date() < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(size(catalogue) > before, "the WAL was never copied into \(catalogue)")
        running.cancel()
        try await running.value
        #expect(try automaticCheckpointPages(f.database) == 1000)
        #expect(try f.database.integrityCheck() == "ok")
    }

    /// The WAL header's checkpoint sequence number (bytes 12-15, big-endian; SQLite's file
    /// format): it counts the times the WAL was started over.
    func walRestarts(_ path: String) -> UInt32? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 16), header.count == 16 else { return nil }
        return header[12..<16].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Sixteen new text files, as a batch of a cold ingest: `batch` keeps their paths, inodes
    /// and hashes apart from every other batch's.
    func newFiles(batch: Int) -> [CatalogOperation] {
        let text = (0..<600).map { "word\($0 % 97)" }.joined(separator: " ")
        return (0..<16).map { index in
            let number = batch * 16 + index
            // A distinct 32-byte "hash" per file: the number's bytes, zero-padded.
            let sha =
                withUnsafeBytes(of: UInt64(number + 1).littleEndian, Array.init)
                + [UInt8](repeating: 0, count: 24)
            return CatalogOperation.put(
                FileObservation(
                    path: RelativePath("b\(batch)/\(index).txt"),
                    stat: FileStat(
                        device: 1, inode: UInt64(number + 1), kind: .regular, size: 4_000,
                        mtimeNanoseconds: 1, ctimeNanoseconds: 1),
                    state: .ok, reason: nil,
                    content: .bytes(
                        sha256: sha, size: 4_000, isText: true,
                        analysis: ContentAnalysis(text: "file \(number) " + text)),
                    verifiedNanoseconds: 2))
        }
    }

    /// Commits batches of new files as a cold ingest does (`between` runs after each) until
    /// the WAL was seen started over `wanted` times, or 2,000 batches: the largest the WAL
    /// was, the restarts seen and the batches committed.
    func commitBatches(
        _ database: AppDatabase, untilRestarts wanted: UInt32, between: () throws -> Void = {}
    ) throws -> (largest: Int, restarts: UInt32, batches: Int) {
        let wal = database.path + "-wal"
        var largest = 0
        var first: UInt32?
        var restarts: UInt32 = 0
        var batch = 0
        while restarts < wanted && batch < 2_000 {
            try database.apply(newFiles(batch: batch))
            largest = max(largest, size(wal))
            if let sequence = walRestarts(wal) {
                first = first ?? sequence
                restarts = sequence &- (first ?? sequence)
            }
            try between()
            batch += 1
        }
        return (largest, restarts, batch)
    }

    /// Merging the search index in idle steps writes as a stream of commits does: past its
    /// limit the writer starts the WAL over after a step too. Left to grow, the merge that a
    /// start schedules on the 256,000-article archive of `bench/archive.py` took the WAL to
    /// 960 MB, which the next new article's commit then cut back to the limit (0.23–0.30 s).
    @Test func searchMergeStepsStartTheWALOverPastItsLimit() throws {
        let scratch = try Scratch("wal-merge")
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"), walLimit: 64 << 10)
        let wal = database.path + "-wal"
        // As under the daemon's checkpointer, which is not running here: only the writer's own
        // restarts bound the WAL.
        try database.setAutomaticCheckpoints(false)
        // One segment of the search index per transaction.
        for batch in 0..<40 { try database.apply(newFiles(batch: batch)) }
        // The first step writes a WAL the last commit started over.
        #expect(try database.mergeSearchIndex(pages: 8))
        let before = walRestarts(wal)
        var largest = 0
        var steps = 1
        while try database.mergeSearchIndex(pages: 8), steps < 10_000 {
            largest = max(largest, size(wal))
            steps += 1
        }
        #expect(steps > 1)
        #expect(walRestarts(wal) != before, "the WAL was not started over in \(steps) merge steps")
        #expect(largest < 4 << 20, "the WAL reached \(largest) bytes")
        #expect(try database.integrityCheck() == "ok")
    }

    /// Commits in a steady stream, with the checkpointer running (whose passive checkpoints
    /// never catch up with them): past its limit the writer starts the WAL over after a
    /// commit, and the file stays near the limit. The bound is not exact: a restart that meets
    /// the checkpointer's own checkpoint (one runs at a time) waits for the next commit, so the
    /// WAL may pass the limit by a few batches (under ThreadSanitizer, 4 MB against a 256 KiB
    /// limit).
    @Test func aSteadyStreamOfCommitsDoesNotGrowTheWALWithoutBound() throws {
        let scratch = try Scratch("wal-limit")
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"), walLimit: 256 << 10)
        let checkpointer = WALCheckpointer(database: database, thresholdBytes: 1, interval: .milliseconds(5))
        try checkpointer.start()
        defer { checkpointer.stop() }
        let (largest, restarts, batch) = try commitBatches(database, untilRestarts: 3)
        #expect(restarts >= 3, "the WAL was never started over in \(batch) batches")
        #expect(largest < 16 << 20, "the WAL reached \(largest) bytes")
        #expect(try database.integrityCheck() == "ok")
    }

    /// Under a batch's WAL (about 470 KB): each batch takes it past the limit.
    static let deferredLimit = 256 << 10
    static let passInterval = Duration.milliseconds(500)

    /// A catalogue under a checkpointer that defers restarts, whose passes a test makes by
    /// hand (`pass(on:)` on the connection), as its timer would.
    func deferringCheckpointer(in scratch: Scratch) throws -> (AppDatabase, WALCheckpointer, DatabaseQueue) {
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"), walLimit: Self.deferredLimit)
        let checkpointer = WALCheckpointer(
            database: database, thresholdBytes: 1, interval: Self.passInterval, deferringRestarts: true)
        let connection = try checkpointer.openConnection()
        try database.setAutomaticCheckpoints(false)
        database.walBackfill.checkpointerStarted(deferringRestarts: true)
        return (database, checkpointer, connection)
    }

    /// The daemon's way (a checkpointer that defers restarts): below four times its limit the
    /// writer never checkpoints, and the WAL is still started over, by SQLite, at the first
    /// commit after a pass of the checkpointer has copied it whole, which the writes that can
    /// wait wait for (`walAwaitsCopy`). Were the copy never seen whole, or SQLite not to start
    /// the WAL over, it would grow to the ceiling and the writer would restart it there. The
    /// checkpointer's passes are made here by hand, between commits, as its timer would.
    @Test func aCheckpointerThatDefersRestartsLetsSQLiteStartTheWALOver() throws {
        let scratch = try Scratch("wal-deferred")
        let (database, checkpointer, connection) = try deferringCheckpointer(in: scratch)
        var waits = 0
        let (largest, restarts, batch) = try commitBatches(database, untilRestarts: 3) {
            guard database.walAwaitsCopy else { return }
            // As a merge step does when no event waits: the pass copies all of it, and says
            // so by not hurrying the next.
            waits += 1
            #expect(checkpointer.pass(on: connection) == Self.passInterval)
            #expect(!database.walAwaitsCopy, "a pass after the last commit did not copy the WAL whole")
        }
        #expect(restarts >= 3, "the WAL was never started over in \(batch) batches")
        #expect(waits >= 3)
        #expect(
            largest < 4 * Self.deferredLimit,
            "the WAL reached \(largest) bytes: the writer restarted it at its ceiling")
        #expect(try database.integrityCheck() == "ok")
    }

    /// A pass that finds the WAL past the limit with frames it cannot copy (a reader on them)
    /// asks for the next one soon.
    @Test func aPassThatLeavesFramesBehindComesAgainSoon() throws {
        let scratch = try Scratch("wal-soon")
        let (database, checkpointer, connection) = try deferringCheckpointer(in: scratch)
        try database.apply(newFiles(batch: 0))
        let reader = try DatabaseQueue(path: database.path)
        try reader.read { db in
            // A read transaction on the WAL as it is now: the frames of the next batch stay.
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM files")
            try database.apply(newFiles(batch: 1))
            #expect(database.walBytes > Int64(Self.deferredLimit))
            #expect(checkpointer.pass(on: connection) == Self.passInterval / 10)
            #expect(database.walAwaitsCopy)
        }
        #expect(checkpointer.pass(on: connection) == Self.passInterval)
        #expect(!database.walAwaitsCopy)
    }

    /// Whoever else copies the WAL, past four times its limit the writer restarts it (a
    /// checkpointer that falls behind, readers that keep old frames).
    @Test func pastTheCeilingTheWriterRestartsTheWALItself() throws {
        let scratch = try Scratch("wal-ceiling")
        let limit = 256 << 10
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"), walLimit: limit)
        try database.setAutomaticCheckpoints(false)
        // A checkpointer that defers restarts and never runs a pass: only the ceiling bounds it.
        database.walBackfill.checkpointerStarted(deferringRestarts: true)
        let (largest, restarts, batch) = try commitBatches(database, untilRestarts: 2)
        #expect(restarts >= 2, "the WAL was never started over in \(batch) batches")
        #expect(largest > 3 * limit, "the writer restarted the WAL below the ceiling")
        #expect(largest < 6 * limit, "the WAL reached \(largest) bytes")
        #expect(try database.integrityCheck() == "ok")
    }

    /// Merge steps wait (a while at most) for the checkpointer to copy a WAL past its limit,
    /// between events too, unless a level of the index is close to FTS5's crisis merge: then
    /// merging goes on between events, in small steps.
    @Test func mergeStepsWaitForTheCopyUnlessTheCrisisMergeIsClose() throws {
        let scratch = try Scratch("wal-merge-wait")
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"), walLimit: 64 << 10)
        try database.setAutomaticCheckpoints(false)
        // A checkpointer that defers restarts and never copies: the copy stays awaited.
        database.walBackfill.checkpointerStarted(deferringRestarts: true)
        for batch in 0..<40 { try database.apply(newFiles(batch: batch)) }
        #expect(database.walAwaitsCopy)
        let logger = Logger(label: "test")
        let second: UInt64 = 1_000_000_000
        var schedule = SearchMergeSchedule(idle: second)
        schedule.noteChanges(at: 0, busiestLevel: AppDatabase.busyMergeSegments)
        func segments() throws -> [Int] {
            try database.writer.read { try AppDatabase.searchSegmentsPerLevel($0) }
        }
        let before = try segments()
        schedule.step(database, at: second, logger: logger)
        #expect(schedule.due == second + SearchMergeSchedule.copyWait)
        #expect(try segments() == before, "the step merged while the copy was awaited")
        // Between events as well, while no level is close to the crisis merge.
        schedule.step(database, at: second + 1, settling: SearchMergeSchedule.settlingSlot, logger: logger)
        #expect(schedule.due == second + 1 + SearchMergeSchedule.copyWait)
        #expect(try segments() == before, "the step between events merged while the copy was awaited")
        // Close to it, merging goes on between events.
        schedule.noteChanges(at: second + 2, busiestLevel: AppDatabase.urgentMergeSegments)
        schedule.step(database, at: second + 3, settling: SearchMergeSchedule.settlingSlot, logger: logger)
        #expect(schedule.due == second + 3)
        #expect(try segments() != before)
        // Not with less than a slot before a path is due: the path's commit comes first.
        let merged = try segments()
        schedule.step(
            database, at: second + 4, settling: SearchMergeSchedule.settlingSlot - 1, logger: logger)
        #expect(schedule.due == second + 3 + SearchMergeSchedule.settlingSlot)
        #expect(try segments() == merged)
        // Waiting again, but not past `longestCopyWait`.
        schedule.step(database, at: 2 * second, logger: logger)
        #expect(schedule.due == 2 * second + SearchMergeSchedule.copyWait)
        #expect(try segments() == merged)
        schedule.step(database, at: 2 * second + SearchMergeSchedule.longestCopyWait, logger: logger)
        #expect(schedule.due == 2 * second + SearchMergeSchedule.longestCopyWait)
        #expect(try segments() != merged)
        #expect(try database.integrityCheck() == "ok")
    }
}
