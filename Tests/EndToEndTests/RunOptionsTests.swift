import Foundation
import TestSupport
import Testing

/// `newsd run`'s timing options are refused with a clear error when they are out of range,
/// before anything starts (exit 64, the usage status), rather than overflowing the engine's
/// deadlines.
@Suite struct RunOptionsTests {
    @Test(arguments: [
        (["--settle-cap", "86400001"], "--settle-cap must be at most 86400000 ms"),
        (["--settle", "2000", "--settle-cap", "1000"], "--settle must not exceed --settle-cap"),
        (["--reconcile-interval", "99999999999"], "--reconcile-interval must be at most 31536000 s"),
        (["--poll-interval", "86401"], "--poll-interval must be at most 86400 s"),
        (["--poll-interval", "0"], "must be positive"),
    ])
    func outOfRangeTimingsAreRefused(_ options: [String], _ message: String) throws {
        let scratch = try Scratch("run-options")
        _ = try scratch.write("tree/a.txt", "text\n")
        let result = try run(
            Binaries.newsd,
            ["run", "--root", scratch.url("tree"), "--state", scratch.url("state")] + options,
            timeout: 30, in: scratch)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: scratch.url("state")))
    }

    @Test func theLargestTimingsAreAccepted() throws {
        let scratch = try Scratch("run-options-largest")
        _ = try scratch.write("tree/a.txt", "text\n")
        let daemon = try DaemonProcess(
            scratch: scratch, root: scratch.url("tree"), state: scratch.url("state"),
            arguments: [
                "--settle-cap", "86400000", "--reconcile-interval", "31536000", "--poll-interval", "86400",
            ])
        try daemon.waitReady()
        #expect(try daemon.stop() == 0)
    }
}
