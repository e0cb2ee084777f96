import Foundation
import GRDB
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
}
