import Foundation
import Glibc
import Synchronization

/// A `newsd run` started by a test, with its own notify socket and log files.
///
/// The daemon's stderr goes to a file in the scratch directory (kept with
/// `NEWSD_KEEP_SCRATCH=1`); every sd_notify datagram it sends is recorded by a background
/// reader, so the daemon never waits on a full notify queue and tests can wait for
/// `READY=1` instead of sleeping.
public final class DaemonProcess: @unchecked Sendable {
    public let process = Process()
    public let logPath: String
    public let listener: NotifyListener
    private let messages = Mutex<[String]>([])
    private let readerDone = DispatchSemaphore(value: 0)
    private let stopReading = Atomic<Bool>(false)

    /// Starts `newsd run --root root --state state` plus `arguments`.
    public init(
        scratch: Scratch, root: String, state: String, arguments: [String] = [],
        environment: [String: String] = [:],
        label: String = "daemon"
    ) throws {
        let tag = UUID().uuidString.prefix(6)
        logPath = scratch.url("\(label)-\(tag).log")
        listener = try NotifyListener(path: scratch.url("notify-\(tag).sock"))
        process.executableURL = URL(fileURLWithPath: Binaries.newsd)
        process.arguments = ["run", "--root", root, "--state", state, "--log-level", "debug"] + arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "STATE_DIRECTORY")
        env.removeValue(forKey: "RUNTIME_DIRECTORY")
        env.removeValue(forKey: "WATCHDOG_USEC")
        env["NOTIFY_SOCKET"] = listener.address
        for (key, value) in environment { env[key] = value }
        process.environment = env
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try log.close()
        let thread = Thread { [self] in
            while !stopReading.load(ordering: .acquiring) {
                if let message = listener.receive(timeout: 0.2) {
                    messages.withLock { $0.append(message) }
                }
            }
            readerDone.signal()
        }
        thread.start()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        stopReading.store(true, ordering: .releasing)
        readerDone.wait()
    }

    /// The daemon's pid.
    public var pid: Int32 { process.processIdentifier }

    /// Every sd_notify datagram received so far.
    public var notifications: [String] { messages.withLock { $0 } }

    /// Waits for a notification containing `field` (e.g. `READY=1`).
    public func waitForNotification(_ field: String, timeout: Double = 30) -> Bool {
        waitUntil(timeout: timeout) {
            notifications.contains { $0.split(separator: "\n").contains { $0 == field } }
        }
    }

    /// Waits for `READY=1`; fails with the log when the daemon exits or does not get ready.
    public func waitReady(timeout: Double = 30) throws {
        if !waitForNotification("READY=1", timeout: timeout) {
            throw ScratchError("newsd did not report READY=1 within \(timeout) s\n\(log)")
        }
    }

    /// Sends `signal`.
    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Sends SIGTERM and waits for the exit; returns the exit status (or throws after `timeout`).
    @discardableResult
    public func stop(timeout: Double = 15) throws -> Int32 {
        signal(SIGTERM)
        return try waitForExit(timeout: timeout)
    }

    /// Waits for the process to end.
    public func waitForExit(timeout: Double = 15) throws -> Int32 {
        guard waitUntil(timeout: timeout, { !process.isRunning }) else {
            throw ScratchError("newsd did not exit within \(timeout) s\n\(log)")
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills the daemon with SIGKILL and reaps it.
    public func kill9() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// What the daemon has logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}
