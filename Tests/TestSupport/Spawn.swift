import Foundation
import Glibc

/// A child process started with `posix_spawn` and reaped with `waitpid`, independent of
/// Foundation's `Process` (whose exit monitoring can stall when many tests run programs at
/// once: its termination handler never ran and the children stayed zombies).
public final class Spawned: @unchecked Sendable {
    /// The child's pid.
    public let pid: pid_t
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments` and `environment` (the whole environment), its
    /// stdin on /dev/null and stdout and stderr appended to the given files; in
    /// `workingDirectory` when given, else in ours.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], stdout: String,
        stderr: String, workingDirectory: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let workingDirectory {
            let result = try Self.addChangeDirectory(&actions, workingDirectory)
            guard result == 0 else {
                throw ScratchError(
                    "cannot start in \(workingDirectory): \(String(cString: strerror(result)))")
            }
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw ScratchError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        pid = child
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), looked up at run time:
    /// Swift's Glibc module leaves out the declarations `_GNU_SOURCE` guards.
    private static func addChangeDirectory(
        _ actions: inout posix_spawn_file_actions_t, _ directory: String
    ) throws -> Int32 {
        typealias AddChangeDirectory =
            @convention(c) (
                UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
            ) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
            throw ScratchError("this C library cannot start a child in another directory")
        }
        let addChangeDirectory = unsafeBitCast(symbol, to: AddChangeDirectory.self)
        return addChangeDirectory(&actions, directory)
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
    }

    /// Whether the child still runs (reaping it if it has ended).
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// The exit status (128 + signal when killed), once it has ended.
    public var status: Int32? { reap(blocking: false) }

    /// Waits up to `timeout` seconds; `nil` when it still runs.
    public func wait(timeout: Double) -> Int32? {
        _ = waitUntil(timeout: timeout) { !isRunning }
        return status
    }

    /// Sends `signal`.
    public func signal(_ signal: Int32) {
        if exitStatus == nil { kill(pid, signal) }
    }

    private func reap(blocking: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        var raw: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
        } while result < 0 && errno == EINTR
        guard result == pid else { return nil }
        let code = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        exitStatus = code
        return code
    }
}

/// The test process's environment less the variables that would leak into a child daemon.
func childEnvironment(_ extra: [String: String]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NOTIFY_SOCKET")
    env.removeValue(forKey: "STATE_DIRECTORY")
    env.removeValue(forKey: "RUNTIME_DIRECTORY")
    env.removeValue(forKey: "LISTEN_FDS")
    env.removeValue(forKey: "LISTEN_PID")
    for (key, value) in extra { env[key] = value }
    return env
}
