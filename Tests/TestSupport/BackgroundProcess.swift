import Foundation
import Glibc

/// A program left running while a test goes on (`newsctl follow`, `systemd-socket-activate`),
/// its stdout and stderr going to files the test reads as they grow. Killed when released.
public final class BackgroundProcess: @unchecked Sendable {
    public let child: Spawned
    public let outPath: String
    public let errPath: String

    /// Starts `executable` with `arguments`; output files go in `scratch`.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], scratch: Scratch,
        label: String = "background"
    ) throws {
        let tag = UUID().uuidString.prefix(6)
        outPath = scratch.url("\(label)-\(tag).out")
        errPath = scratch.url("\(label)-\(tag).err")
        child = try Spawned(
            executable, arguments, environment: childEnvironment(environment), stdout: outPath,
            stderr: errPath)
    }

    /// What it has printed on stdout so far.
    public var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    /// What it has printed on stderr so far.
    public var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the exit; returns the exit status.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM, timeout: Double = 15) throws -> Int32 {
        child.signal(signal)
        return try waitForExit(timeout: timeout)
    }

    /// Waits for the process to end by itself.
    public func waitForExit(timeout: Double = 15) throws -> Int32 {
        guard let status = child.wait(timeout: timeout) else {
            throw ScratchError("pid \(child.pid) did not exit within \(timeout) s\n\(stderr)")
        }
        return status
    }
}
