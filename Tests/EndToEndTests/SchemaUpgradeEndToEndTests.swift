import Foundation
import GRDB
import TestSupport
import Testing

@testable import Catalogue

@Suite struct SchemaUpgradeEndToEndTests {
    /// A catalogue from the newsd before the latest migration is upgraded when it is opened,
    /// and `newsd scan` says so on stderr before and after, naming the migrations; a scan of the
    /// upgraded catalogue says nothing of it.
    @Test func upgradingAnOlderCatalogueIsLoggedBeforeAndAfter() throws {
        let f = try ScanFixture()
        try f.write("a.txt", "alpha beta gamma\n")
        try f.scratch.mkdir("state")
        let migrations = CatalogMigrations.migrator.migrations
        try #require(migrations.count >= 2)
        let pool = try DatabasePool(path: f.state + "/" + AppDatabase.fileName)
        try CatalogMigrations.migrator.migrate(pool, upTo: migrations[migrations.count - 2])
        try pool.close()

        let upgrade = try run(Binaries.newsd, ["scan", "--root", f.root, "--state", f.state], in: f.scratch)
        #expect(upgrade.status == 0, "\(upgrade)")
        let lines = upgrade.stderr.split(separator: "\n").map(String.init)
        let announced = try #require(
            lines.firstIndex { $0.contains("upgrading its schema first") }, "\(upgrade)")
        #expect(lines[announced].contains(migrations[migrations.count - 1]), "\(upgrade)")
        let done = try #require(
            lines.firstIndex { $0.contains("upgraded the catalogue's schema") }, "\(upgrade)")
        #expect(announced < done)
        #expect(upgrade.stdout.contains("1 files (0 in error)"), "\(upgrade)")

        let again = try run(Binaries.newsd, ["scan", "--root", f.root, "--state", f.state], in: f.scratch)
        #expect(again.status == 0, "\(again)")
        #expect(!again.stderr.contains("schema"), "\(again)")
    }
}
