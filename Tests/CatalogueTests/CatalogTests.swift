import Foundation
import GRDB
import NewsCore
import TestSupport
import Testing

@testable import Catalogue

@Suite struct CatalogTests {
    func stat(ino: UInt64, size: Int64 = 3) -> FileStat {
        FileStat(
            device: 1, inode: ino, kind: .regular, size: size, mtimeNanoseconds: 10, ctimeNanoseconds: 10)
    }

    func observation(_ path: String, ino: UInt64, sha: UInt8) -> FileObservation {
        FileObservation(
            path: RelativePath(path), stat: stat(ino: ino), state: .ok, reason: nil,
            content: .bytes(sha256: [UInt8](repeating: sha, count: 32), size: 3, isText: true, analysis: nil),
            verifiedNanoseconds: 20)
    }

    @Test func aNewCatalogueHasAnEpochAndIsEmpty() throws {
        let scratch = try Scratch("catalog")
        let database = try AppDatabase.open(stateDirectory: scratch.url("state"))
        #expect(database.epoch.count == 16)
        #expect(
            try database.summary()
                == CatalogSummary(
                    files: 0, skipped: 0, contents: 0, duplicateGroups: 0, errors: 0, lastSeq: 0))
        #expect(try database.integrityCheck() == "ok")
        // Reopening keeps the epoch.
        #expect(try AppDatabase.open(stateDirectory: scratch.url("state")).epoch == database.epoch)
    }

    @Test func everyOlderSchemaMigratesForwardKeepingItsChangeLog() throws {
        let migrator = CatalogMigrations.migrator
        let identifiers = migrator.migrations
        for (index, identifier) in identifiers.enumerated() {
            let scratch = try Scratch("migrate")
            let path = scratch.url("catalog.sqlite")
            // A catalogue written by a newsd that knew the migrations up to `identifier`.
            let pool = try DatabasePool(path: path)
            try migrator.migrate(pool, upTo: identifier)
            try pool.write { db in
                try db.execute(
                    sql: "INSERT INTO changes(op, path, state, at_ns) VALUES ('delete', x'6f6c64', 'ok', 1)")
            }
            try pool.close()
            let database = try AppDatabase(path: path)
            let changes = try database.changes(after: 0)
            #expect(changes.map(\.path) == [RelativePath("old")], "from \(identifier)")
            let applied = try database.writer.read { db in try migrator.appliedIdentifiers(db) }
            #expect(applied == Set(identifiers), "from migration #\(index)")
        }
    }

    @Test func aCatalogueFromANewerNewsdIsRefusedWithAClearMessage() throws {
        let scratch = try Scratch("newer")
        let path = scratch.url("catalog.sqlite")
        _ = try AppDatabase(path: path)
        let pool = try DatabasePool(path: path)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')")
        }
        try pool.close()
        #expect {
            _ = try AppDatabase(path: path)
        } throws: { error in
            let message = "\(error)"
            return message.contains("newer newsd") && message.contains("v99-from-the-future")
        }
    }

    @Test func theSchemaEnforcesItsInvariants() throws {
        let scratch = try Scratch("invariants")
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"))
        let bad = [
            // ok without content
            "INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, verified_ns) VALUES (x'61', 'file', 1, 1, 0, 0, 0, 'ok', 0)",
            // error without a reason
            "INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, verified_ns) VALUES (x'61', 'file', 1, 1, 0, 0, 0, 'error', 0)",
            // a symlink that is not skipped
            "INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, reason, verified_ns) VALUES (x'61', 'symlink', 1, 1, 0, 0, 0, 'error', 'x', 0)",
            // a content id that does not exist
            "INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, content_id, verified_ns) VALUES (x'61', 'file', 1, 1, 0, 0, 0, 'ok', 42, 0)",
            // a hash of the wrong length
            "INSERT INTO contents(sha256, size, is_text) VALUES (x'00', 1, 1)",
            // a rename without its source
            "INSERT INTO changes(op, path, state, at_ns) VALUES ('rename', x'61', 'ok', 0)",
            // an unknown operation
            "INSERT INTO changes(op, path, state, at_ns) VALUES ('touch', x'61', 'ok', 0)",
        ]
        for sql in bad {
            #expect(throws: DatabaseError.self, "\(sql)") {
                try database.writer.write { db in try db.execute(sql: sql) }
            }
        }
        try database.apply([.put(observation("a", ino: 1, sha: 1))])
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO files(path, kind, dev, ino, size, mtime_ns, ctime_ns, state, reason, verified_ns) VALUES (x'61', 'fifo', 1, 2, 0, 0, 0, 'skipped', 'fifo', 0)"
                )
            }
        }
    }

    @Test func writesLogEveryChangeWithStrictlyIncreasingSequenceNumbers() throws {
        let scratch = try Scratch("writer")
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"))
        var log = try database.apply([
            .put(observation("a", ino: 1, sha: 1)), .put(observation("b", ino: 2, sha: 1)),
        ])
        #expect(log.map(\.op) == [.add, .add])
        #expect(try database.summary().duplicateGroups == 1)
        #expect(try database.summary().contents == 1)

        // Same bytes, new stat: no change is logged.
        var touched = observation("a", ino: 1, sha: 1)
        touched.stat.mtimeNanoseconds = 99
        #expect(try database.apply([.put(touched)]).isEmpty)

        log += try database.apply([.put(observation("a", ino: 1, sha: 2))])
        log += try database.apply([.move(from: RelativePath("b"), to: observation("c", ino: 2, sha: 1))])
        log += try database.apply([.remove(RelativePath("c"))])
        #expect(log.map(\.op) == [.add, .add, .modify, .rename, .delete])
        #expect(log.last?.sha256 == [UInt8](repeating: 1, count: 32))
        #expect(zip(log, log.dropFirst()).allSatisfy { $0.seq < $1.seq })
        #expect(try database.changes(after: 0) == log)
        // The content only `c` used is gone with it.
        #expect(
            try database.summary()
                == CatalogSummary(
                    files: 1, skipped: 0, contents: 1, duplicateGroups: 0, errors: 0,
                    lastSeq: log.last?.seq ?? 0))
    }

    @Test func aMoveOntoACataloguedPathDeletesItFirst() throws {
        let scratch = try Scratch("writer")
        let database = try AppDatabase(path: scratch.url("catalog.sqlite"))
        try database.apply([.put(observation("a", ino: 1, sha: 1)), .put(observation("b", ino: 2, sha: 2))])
        let log = try database.apply([.move(from: RelativePath("a"), to: observation("b", ino: 1, sha: 1))])
        #expect(log.map(\.op) == [.delete, .rename])
        #expect(log.map(\.path) == [RelativePath("b"), RelativePath("b")])
        #expect(log.last?.from == RelativePath("a"))
        #expect(try database.entries(under: .root).map(\.path) == [RelativePath("b")])
    }
}
