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
    /// The running `newsd` (spawned and reaped directly, not through Foundation's `Process`).
    public let process: Spawned
    public let logPath: String
    public let listener: NotifyListener
    private let recorder = NotifyRecorder()

    /// Starts `newsd run --root root --state state` plus `arguments`.
    public init(
        scratch: Scratch, root: String, state: String, arguments: [String] = [],
        environment: [String: String] = [:],
        label: String = "daemon"
    ) throws {
        let tag = UUID().uuidString.prefix(6)
        logPath = scratch.url("\(label)-\(tag).log")
        listener = try NotifyListener(path: scratch.url("notify-\(tag).sock"))
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "STATE_DIRECTORY")
        env.removeValue(forKey: "RUNTIME_DIRECTORY")
        env.removeValue(forKey: "WATCHDOG_USEC")
        env.removeValue(forKey: "LISTEN_FDS")
        env.removeValue(forKey: "LISTEN_PID")
        env["NOTIFY_SOCKET"] = listener.address
        for (key, value) in environment { env[key] = value }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = try Spawned(
            Binaries.newsd, ["run", "--root", root, "--state", state, "--log-level", "debug"] + arguments,
            environment: env, stdout: logPath, stderr: logPath)
        // The reader holds the recorder and the listener, not `self`: releasing the
        // DaemonProcess stops the reader and kills the daemon.
        let thread = Thread { [recorder, listener] in
            while !recorder.stopReading.load(ordering: .acquiring) {
                if let message = listener.receive(timeout: 0.2) {
                    recorder.messages.withLock { $0.append(message) }
                }
            }
            recorder.readerDone.signal()
        }
        thread.start()
    }

    deinit {
        recorder.stopReading.store(true, ordering: .releasing)
        recorder.readerDone.wait()
        // `process` kills and reaps a daemon still running when it is released.
    }

    /// The daemon's pid.
    public var pid: Int32 { process.pid }

    /// Every sd_notify datagram received so far.
    public var notifications: [String] { recorder.messages.withLock { $0 } }

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
        guard let status = process.wait(timeout: timeout) else {
            throw ScratchError("newsd did not exit within \(timeout) s\n\(log)")
        }
        return status
    }

    /// Kills the daemon with SIGKILL and reaps it.
    public func kill9() {
        kill(pid, SIGKILL)
        _ = process.wait(timeout: 30)
    }

    /// What the daemon has logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// What the notify reader thread shares with the test.
private final class NotifyRecorder: Sendable {
    let messages = Mutex<[String]>([])
    let readerDone = DispatchSemaphore(value: 0)
    let stopReading = Atomic<Bool>(false)
}
