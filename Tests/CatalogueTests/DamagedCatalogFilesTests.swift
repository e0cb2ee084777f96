import Foundation
import GRDB
import TestSupport
import Testing

@testable import Catalogue

@Suite struct DamagedCatalogFilesTests {
    /// 2025-01-02T03:04:05Z.
    static let date = Date(timeIntervalSince1970: 1_735_787_045)

    @Test func theStampIsISO8601BasicInUTC() {
        #expect(DamagedCatalogFiles.stamp(Self.date) == "20250102T030405Z")
    }

    @Test func theCatalogueAndTheCompanionsThatExistMoveUnderOneName() throws {
        let scratch = try Scratch("damaged-files")
        let path = scratch.url("catalog.sqlite")
        try scratch.write("catalog.sqlite", "main")
        try scratch.write("catalog.sqlite-wal", "wal")
        try scratch.write("catalog.sqlite-bands", "bands")
        try scratch.write("catalog.sqlite.unrelated", "left alone")

        let moves = try DamagedCatalogFiles.moveAside(catalogue: path, at: Self.date)
        let base = path + ".damaged-20250102T030405Z"
        #expect(
            moves == [
                .init(from: path + "-wal", to: base + "-wal"),
                .init(from: path + "-bands", to: base + "-bands"),
                .init(from: path, to: base),
            ])
        #expect(try String(contentsOfFile: base, encoding: .utf8) == "main")
        #expect(try String(contentsOfFile: base + "-wal", encoding: .utf8) == "wal")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: path + ".unrelated"))

        // A second catalogue damaged within the same second keeps the first one's files.
        try scratch.write("catalog.sqlite", "second")
        let again = try DamagedCatalogFiles.moveAside(catalogue: path, at: Self.date)
        #expect(again == [.init(from: path, to: base + "-2")])
        #expect(try String(contentsOfFile: base, encoding: .utf8) == "main")
    }

    @Test func damageIsToldApartByResultCode() throws {
        let scratch = try Scratch("damaged-files")
        let garbage = try scratch.write("garbage.sqlite", String(repeating: "not sqlite ", count: 1000))
        let error = try #require(throws: CatalogError.self) { try AppDatabase(path: garbage) }
        guard case .damaged(let path, let reason) = error else {
            Issue.record("expected .damaged, got \(error)")
            return
        }
        #expect(path == garbage)
        #expect(reason == "file is not a database")
        #expect(try CatalogDamage.quickCheck(path: garbage) == ["file is not a database"])
        // Other database errors are not damage.
        #expect(CatalogDamage.reason(DatabaseError(resultCode: .SQLITE_CANTOPEN)) == nil)
        #expect(
            CatalogDamage.reason(DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed"))
                == "malformed")

        let sound = scratch.url("sound.sqlite")
        _ = try AppDatabase(path: sound)
        #expect(try CatalogDamage.quickCheck(path: sound) == ["ok"])
    }
}
