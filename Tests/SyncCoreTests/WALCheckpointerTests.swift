import Foundation
import GRDB
import TestSupport
import Testing

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
        let checkpointer = WALCheckpointer(database: f.database, thresholdBytes: 1)
        try checkpointer.start(interval: .milliseconds(10))
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

    /// Commits in a steady stream, with the checkpointer running (whose passive checkpoints
    /// never catch up with them): past its limit the writer empties the WAL after a commit.
    /// The bound is not exact: a truncation that meets the checkpointer's own checkpoint (one
    /// runs at a time) waits for the next commit, so the WAL may pass the limit by a few
    /// batches (under ThreadSanitizer, 4 MB against a 256 KiB limit).
    @Test func aSteadyStreamOfCommitsDoesNotGrowTheWALWithoutBound() throws {
        let scratch = try Scratch("wal-limit")
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"), walLimit: 256 << 10)
        let wal = database.path + "-wal"
        let checkpointer = WALCheckpointer(database: database, thresholdBytes: 1)
        try checkpointer.start(interval: .milliseconds(5))
        defer { checkpointer.stop() }
        let text = (0..<600).map { "word\($0 % 97)" }.joined(separator: " ")
        var largest = 0
        var truncations = 0
        // Batches of new files, as a cold ingest commits them, until the WAL was seen emptied
        // three times (a WAL file only ever shrinks by a truncation).
        var batch = 0
        while truncations < 3 && batch < 2_000 {
            let operations = (0..<16).map { index in
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
            let before = size(wal)
            try database.apply(operations)
            if size(wal) < before { truncations += 1 }
            largest = max(largest, before)
            batch += 1
        }
        #expect(truncations == 3, "the WAL was never emptied in \(batch) batches")
        #expect(largest < 16 << 20, "the WAL reached \(largest) bytes")
        #expect(try database.integrityCheck() == "ok")
    }
}
