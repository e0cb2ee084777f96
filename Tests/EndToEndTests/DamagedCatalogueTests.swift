import Catalogue
import ControlWire
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// A damaged catalogue: refused with a status of its own and the command that rebuilds it;
/// rebuilt only when asked, the damaged files kept; checked after an unclean stop.
@Suite struct DamagedCatalogueTests {
    /// `catalog.sqlite` in the fixture's state directory.
    static func catalogue(_ fixture: DaemonFixture) -> String { fixture.state + "/" + AppDatabase.fileName }

    /// A tree of `count` distinct articles, enough for a catalogue of many pages.
    static func writeArticles(_ fixture: DaemonFixture, count: Int) throws {
        for index in 0..<count {
            try fixture.write(
                "articles/\(index).txt", SyntheticArticle.make(UInt64(index + 1), extra: "line \(index)"))
        }
    }

    /// Starts `newsd run` on the fixture and waits for it to exit by itself (it must not get
    /// ready): its exit status and its log.
    static func runExpectingExit(_ fixture: DaemonFixture, _ arguments: [String] = []) throws -> (
        Int32, String
    ) {
        let daemon = try DaemonProcess(
            scratch: fixture.scratch, root: fixture.root, state: fixture.state, arguments: arguments)
        let status = try daemon.waitForExit(timeout: 60)
        return (status, daemon.log)
    }

    /// The files the state directory holds whose names start with `catalog.sqlite.damaged-`.
    static func damagedFiles(_ fixture: DaemonFixture) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixture.state)
            .filter { $0.hasPrefix(AppDatabase.fileName + ".damaged-") }.sorted()
    }

    @Test func aCatalogueThatIsNotADatabaseIsRefusedWithTheCommandThatRebuildsIt() throws {
        let fixture = try DaemonFixture("damaged-garbage")
        try fixture.write("a.txt", "alpha\n")
        try fixture.scratch.mkdir("state")
        let garbage = Array(repeating: Array("not a database at all\n".utf8), count: 400).flatMap { $0 }
        try fixture.scratch.write("state/" + AppDatabase.fileName, bytes: garbage)

        let (status, log) = try Self.runExpectingExit(fixture, ["--poll-interval", "1"])
        #expect(status == 65, "\(log)")
        #expect(
            log.contains("the catalogue at \(Self.catalogue(fixture)) is damaged (file is not a database)"),
            "\(log)")
        #expect(log.contains("only the change-log history is lost"), "\(log)")
        let command =
            "\(Binaries.newsd) run --rebuild-damaged-catalogue --root \(fixture.root) --state \(fixture.state) "
            + "--log-level debug --poll-interval 1"
        #expect(log.contains("\n    \(command)\n"), "\(log)")
        #expect(log.contains("catalog.sqlite.damaged-<UTC time>"), "\(log)")
        // Refusing touches nothing.
        #expect(FileManager.default.contents(atPath: Self.catalogue(fixture)) == Data(garbage))
        #expect(try Self.damagedFiles(fixture).isEmpty)

        // `newsd scan` opens the same catalogue, and says the same with its own command.
        let scan = try run(
            Binaries.newsd, ["scan", "--root", fixture.root, "--state", fixture.state], in: fixture.scratch)
        #expect(scan.status == 65, "\(scan)")
        #expect(scan.stdout.isEmpty, "\(scan)")
        #expect(
            scan.stderr.contains(
                "\n    \(Binaries.newsd) scan --rebuild-damaged-catalogue --root \(fixture.root) --state \(fixture.state)\n"
            ),
            "\(scan)")
    }

    @Test func aTruncatedCatalogueIsRefusedAsDamaged() throws {
        let fixture = try DaemonFixture("damaged-truncated")
        try Self.writeArticles(fixture, count: 150)
        let scan = try run(
            Binaries.newsd, ["scan", "--root", fixture.root, "--state", fixture.state], in: fixture.scratch)
        #expect(scan.status == 0, "\(scan)")
        let path = Self.catalogue(fixture)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 200_000, "a catalogue of \(size) bytes is too small to cut in half meaningfully")
        #expect(truncate(path, off_t(size / 2)) == 0)

        let (status, log) = try Self.runExpectingExit(fixture)
        #expect(status == 65, "\(log)")
        #expect(log.contains("is damaged (database disk image is malformed)"), "\(log)")
        #expect(log.contains("run --rebuild-damaged-catalogue --root \(fixture.root)"), "\(log)")
    }

    /// Overwrites the middle fifth of the catalogue file, page-aligned: pages of the tables that
    /// opening the catalogue does not read.
    static func overwriteMiddlePages(_ fixture: DaemonFixture) throws {
        let path = catalogue(fixture)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 200_000, "a catalogue of \(size) bytes has too few pages to damage in the middle")
        let page = 4096
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: UInt64(size / page * 2 / 5 * page))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: max(1, size / page / 5) * page))
        try handle.close()
    }

    /// A catalogue of 150 articles made by `newsd scan`, then a daemon on it that catalogues one
    /// more file (so its WAL holds frames) and is killed with SIGKILL; with the daemon and the
    /// cursor it last gave.
    static func killedDaemonOverAScannedCatalogue(
        _ label: String
    ) throws -> (DaemonFixture, DaemonProcess, ChangeCursor) {
        let fixture = try DaemonFixture(label)
        try writeArticles(fixture, count: 150)
        let scan = try run(
            Binaries.newsd, ["scan", "--root", fixture.root, "--state", fixture.state], in: fixture.scratch)
        #expect(scan.status == 0, "\(scan)")
        let daemon = try fixture.start()
        try fixture.write("late.txt", "written while the daemon ran\n")
        let cursor = try #require(ChangeCursor(try fixture.sync().cursor))
        daemon.kill9()
        return (fixture, daemon, cursor)
    }

    @Test func afterAnUncleanStopPagesOverwrittenInTheMiddleAreFoundBeforeServing() throws {
        let (fixture, _, _) = try Self.killedDaemonOverAScannedCatalogue("damaged-pages")
        try Self.overwriteMiddlePages(fixture)

        let (status, log) = try Self.runExpectingExit(fixture)
        #expect(status == 65, "\(log)")
        #expect(
            log.contains(
                "ERROR the previous newsd did not stop cleanly: the catalogue failed PRAGMA quick_check"),
            "\(log)")
        #expect(log.contains("is damaged (PRAGMA quick_check: "), "\(log)")
        #expect(log.contains("run --rebuild-damaged-catalogue --root \(fixture.root)"), "\(log)")
        #expect(!log.contains("INFO ready"), "\(log)")
    }

    @Test func theRebuildFlagMovesTheDamagedFilesAsideAndStartsAFreshEpoch() throws {
        let (fixture, killed, old) = try Self.killedDaemonOverAScannedCatalogue("damaged-rebuild")
        let wal = try #require(FileManager.default.contents(atPath: Self.catalogue(fixture) + "-wal"))
        #expect(!wal.isEmpty, "the killed daemon left no WAL to keep")
        try Self.overwriteMiddlePages(fixture)
        let damaged = try #require(FileManager.default.contents(atPath: Self.catalogue(fixture)))

        try fixture.start(["--rebuild-damaged-catalogue"])
        let log = fixture.daemon?.log ?? ""
        #expect(log.contains("previous_pid=\(killed.pid)"), "\(log)")
        #expect(log.contains("ERROR the catalogue was damaged: moved it aside"), "\(log)")
        // The catalogue and its WAL and WAL index, under one timestamped name, byte for byte as
        // they were found: the check wrote nothing to them.
        let kept = try Self.damagedFiles(fixture)
        let main = try #require(kept.first)
        let stamp = try Regex(#"^catalog\.sqlite\.damaged-[0-9]{8}T[0-9]{6}Z$"#)
        #expect(main.wholeMatch(of: stamp) != nil, "\(main)")
        #expect(kept == [main, main + "-shm", main + "-wal"], "\(kept)")
        #expect(FileManager.default.contents(atPath: fixture.state + "/" + main) == damaged)
        #expect(FileManager.default.contents(atPath: fixture.state + "/" + main + "-wal") == wal)
        #expect(log.contains("\(Self.catalogue(fixture))-wal -> \(fixture.state)/\(main)-wal"), "\(log)")

        // The fresh catalogue holds the tree, and a consumer of the old epoch is told to resync.
        fixture.waitForConvergence()
        let result = try fixture.newsctl(["changes", "--since", old.description, "--json"])
        #expect(result.status == 0, "\(result)")
        let json = try result.json()
        #expect(json["fresh_instance"] as? Bool == true, "\(result.stdout)")
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == 151, "\(files.count)")
        #expect(files.contains { $0["path"] as? String == "late.txt" })
        #expect(ChangeCursor(json["cursor"] as? String ?? "")?.epoch != old.epoch)
    }

    @Test func theRebuildFlagLeavesASoundCatalogueAlone() throws {
        let fixture = try DaemonFixture("damaged-sound")
        try fixture.write("one.txt", "one\n")
        try fixture.start()
        let epoch = try fixture.status().epoch
        try fixture.daemon?.stop()

        try fixture.start(["--rebuild-damaged-catalogue"])
        let log = fixture.daemon?.log ?? ""
        #expect(
            log.contains("INFO the catalogue is not damaged: --rebuild-damaged-catalogue has nothing to do"),
            "\(log)")
        #expect(!log.contains("ERROR"), "\(log)")
        #expect(try Self.damagedFiles(fixture).isEmpty)
        #expect(try fixture.status().epoch == epoch)
    }

    @Test func aStartAfterKill9ChecksTheCatalogueAndACleanStopDoesNot() throws {
        let fixture = try DaemonFixture("damaged-kill9")
        try Self.writeArticles(fixture, count: 20)
        try fixture.start()
        let killed = try #require(fixture.daemon)
        killed.kill9()

        let afterKill = try fixture.start()
        #expect(
            afterKill.log.contains(
                "INFO the previous newsd did not stop cleanly: the catalogue passed PRAGMA quick_check"),
            "\(afterKill.log)")
        #expect(afterKill.log.contains("previous_pid=\(killed.pid)"), "\(afterKill.log)")
        #expect(afterKill.log.contains("quick_check=ok"), "\(afterKill.log)")
        fixture.waitForConvergence()
        #expect(try afterKill.stop() == 0)

        let afterStop = try fixture.start()
        #expect(!afterStop.log.contains("quick_check"), "\(afterStop.log)")
        #expect(try afterStop.stop() == 0)
    }
}
