import Catalogue
import ControlWire
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// The daemon's start-up scan shows how far it has got in `status`, `newsctl status` and the
/// systemd status line.
///
/// The scan is held in its first transaction, as in `StatusQueueTests`: the test holds the
/// catalogue's write lock from outside, so the walk is done, the first files are read and the
/// rest wait, however fast the machine.
@Suite(.serialized) struct ScanProgressStatusTests {
    static let fileCount = 3_000

    @Test func aStartUpScanReportsItsProgressWhileItRuns() throws {
        let fixture = try DaemonFixture("scan-progress")
        // The catalogue exists and trusts the root, and its log is not empty (see the lock), so
        // the daemon writes nothing before the scan's first transaction.
        try fixture.write("first.txt", "first\n")
        let created = try run(
            Binaries.newsd, ["scan", "--root", fixture.root, "--state", fixture.state, "--json"],
            in: fixture.scratch)
        #expect(created.status == 0, "\(created)")
        for index in 0..<Self.fileCount {
            try fixture.write(
                String(format: "d%02d/a%05d.txt", index % 30, index), "article number \(index)\n")
        }

        let lock = try CatalogueWriteLock(fixture.state + "/" + AppDatabase.fileName, fillingTheLog: true)
        let clock = ContinuousClock()
        let started = clock.now
        let daemon = try DaemonProcess(
            scratch: fixture.scratch, root: fixture.root, state: fixture.state,
            arguments: ["--poll-interval", "1"])
        fixture.daemon = daemon

        // Held in its first transaction for over a second: long enough past the walk for a rate
        // to be given, and for the status line to be due again when the transaction commits.
        var held: StatusResult?
        let waiting = waitUntil(timeout: 60) {
            guard let status = try? fixture.status() else { return false }
            held = status
            return (status.transaction?.seconds ?? 0) > 1.1
        }
        let status = try #require(held, "no status from the daemon\n\(daemon.log.suffix(3000))")
        #expect(waiting, "\(status)\n\(daemon.log.suffix(3000))")
        #expect(status.state == DaemonState.scanning.rawValue, "\(status)")
        #expect(status.scanWalked == Self.fileCount + 1 && status.scanDirectories == 31, "\(status)")
        #expect(status.scanToRead == Self.fileCount, "\(status)")
        // The first batch is read (its transaction has begun), most of the rest is not, and
        // nothing is written: the rate says the pass is stuck, and no time left is made up.
        #expect(status.scanRead >= 64 && status.scanRead < Self.fileCount, "\(status)")
        #expect(status.scanFilesPerSecond == 0 && status.scanEtaSeconds == nil, "\(status)")
        let human = try fixture.newsctl(["status"])
        #expect(human.stdout.contains("scan      3,001 files walked; "), "\(human)")
        #expect(human.stdout.contains(" of 3,000 read ("), "\(human)")
        #expect(human.stdout.contains("%), 0 files/s\n"), "\(human)")
        try lock.release()

        try daemon.waitReady(timeout: 120)
        let elapsed = clock.now - started
        let done = try fixture.status()
        #expect(done.scanRead == 0 && done.scan == nil && done.scanToRead == nil, "\(done)")
        #expect(done.files == Self.fileCount + 1)

        // The systemd status line went from the walk to the reads, at most once a second; the
        // first commit came over a second after the walk, when the line was due again, and
        // with a rate to tell the time left from.
        let lines = daemon.notifications.flatMap { $0.split(separator: "\n") }.filter {
            $0.hasPrefix("STATUS=")
        }
        let prefix = "STATUS=scanning: \(fixture.root), "
        let progress = lines.filter { $0.hasPrefix(prefix) }
        #expect(
            progress.contains {
                $0.contains("3,001 files walked; ") && $0.contains(" of 3,000 read (") && $0.contains(" left")
            },
            "\(lines)")
        #expect(progress.count <= Int(elapsed.components.seconds) + 2, "\(lines)")
        #expect(lines.last?.hasPrefix("STATUS=watching: ") == true, "\(lines)")
    }
}
