import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// `newsd scan` shows its progress on a terminal, and only there.
@Suite struct ScanProgressEndToEndTests {
    /// Files in the tree: a cold scan of them takes long enough to be seen going.
    static let fileCount = 3_000

    static func writeTree(_ f: ScanFixture) throws {
        for index in 0..<fileCount {
            try f.write(String(format: "d%02d/a%05d.txt", index % 30, index), "article number \(index)\n")
        }
        waitForClockTick()
    }

    /// On a terminal the line is drawn over in place a few times a second (never per file),
    /// says what is walked and read, and is erased before the summary.
    @Test func onATerminalAScanDrawsItsProgressThenErasesIt() throws {
        let f = try ScanFixture()
        try Self.writeTree(f)
        let terminal = try PseudoTerminal()
        let clock = ContinuousClock()
        let started = clock.now
        let result = try terminal.run(
            Binaries.newsd, ["scan", "--root", f.root, "--state", f.state], timeout: 300, in: f.scratch)
        let elapsed = clock.now - started
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("\(Self.fileCount) files (0 in error)"), "\(result)")
        #expect(result.stdout.contains("read \(Self.fileCount) files"), "\(result)")

        let shown = result.stderr
        // Every drawing starts at the beginning of the line; none starts a new one.
        #expect(shown.hasPrefix("\r") && !shown.contains("\n"), "\(shown.debugDescription)")
        let drawings = shown.split(separator: "\r", omittingEmptySubsequences: true)
        let reading = drawings.filter {
            $0.contains("3,000 files walked; ") && $0.contains(" of 3,000 read (")
        }
        #expect(!reading.isEmpty, "\(shown.debugDescription)")
        #expect(
            drawings.allSatisfy {
                $0.hasPrefix("walking: ") || $0.hasPrefix("3,000 files walked; ")
                    || $0.allSatisfy { $0 == " " }
            },
            "\(shown.debugDescription)")
        // The last thing on the terminal blanks the line and returns to its start.
        let last = try #require(drawings.last)
        #expect(shown.hasSuffix("\r") && last.allSatisfy { $0 == " " }, "\(shown.debugDescription)")
        // Four a second, and once more as the walk begins and ends.
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(Double(drawings.count) <= seconds * 4 + 4, "\(drawings.count) drawings in \(seconds) s")
    }

    /// With `--json`, or with stderr not a terminal, nothing but the summary is printed.
    @Test func withJSONOrWithoutATerminalAScanPrintsNoProgress() throws {
        let f = try ScanFixture()
        try Self.writeTree(f)
        let terminal = try PseudoTerminal()
        let json = try terminal.run(
            Binaries.newsd, ["scan", "--root", f.root, "--state", f.scratch.url("state-json"), "--json"],
            timeout: 300, in: f.scratch)
        #expect(json.status == 0 && json.stderr.isEmpty, "\(json)")
        #expect(try json.json()["read"] as? Int == Self.fileCount)

        // stderr in a file: the human summary alone.
        let filed = try run(
            Binaries.newsd, ["scan", "--root", f.root, "--state", f.scratch.url("state-file")], timeout: 300,
            in: f.scratch)
        #expect(filed.status == 0 && filed.stderr.isEmpty, "\(filed)")
        #expect(filed.stdout.contains("read \(Self.fileCount) files"), "\(filed)")
    }
}
