import Foundation
import Glibc

/// What a finished command printed and how it exited.
public struct RunResult: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }

    /// `stdout` parsed as one JSON object.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
            throw ScratchError("stdout is not a JSON object: \(stdout)")
        }
        return object
    }

    /// `stdout` parsed as newline-delimited JSON objects.
    public func jsonLines() throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else {
                throw ScratchError("line is not a JSON object: \(line)")
            }
            return object
        }
    }
}

/// Runs a program to completion, with a deadline after which it is killed and the test fails;
/// in `workingDirectory` when given, else in the test's own.
public func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 60,
    in scratch: Scratch? = nil, workingDirectory: String? = nil
) throws -> RunResult {
    // Output goes to files, not pipes: a chatty child can never block on a full pipe.
    let dir = scratch?.path ?? NSTemporaryDirectory()
    let tag = UUID().uuidString.prefix(8)
    let outPath = "\(dir)/run-\(tag).out"
    let errPath = "\(dir)/run-\(tag).err"
    let child = try Spawned(
        executable, arguments, environment: childEnvironment(environment), stdout: outPath, stderr: errPath,
        workingDirectory: workingDirectory)
    guard let status = child.wait(timeout: timeout) else {
        child.signal(SIGKILL)
        _ = child.wait(timeout: 10)
        throw ScratchError("\(executable) \(arguments) did not finish within \(timeout) s")
    }
    let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    if scratch == nil {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    return RunResult(status: status, stdout: stdout, stderr: stderr)
}

/// Waits for `condition` to hold, checking every few milliseconds, up to `timeout` seconds.
/// Returns whether it held: tests assert on the result, so a timeout fails with a message.
public func waitUntil(timeout: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    var pause: UInt32 = 2_000
    while Date() < deadline {
        if try condition() { return true }
        usleep(pause)
        pause = min(pause * 2, 50_000)
    }
    return try condition()
}

/// Waits until the wall clock is past the catalogue's "racily clean" window (25 ms in
/// SyncCore's `racyWindowNanoseconds`) for every file written before the call, so that the next
/// scan can trust their stat. Waits on the clock itself, checked with a deadline.
public func waitForClockTick() {
    func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
    let target = now() + 30_000_000
    _ = waitUntil(timeout: 5) { now() > target }
}
