import Foundation
import Glibc
import NewsCore

/// One daemon per state directory: an exclusive `flock(2)` on `<state>/newsd.lock`, holding our pid.
///
/// `flock` rather than a pid file alone: the kernel drops the lock when the process dies, however
/// it dies (`kill -9` included), so a stale file can never keep the next daemon out, and the file
/// is never unlinked (unlinking would let a second daemon lock a fresh inode while the first
/// still holds the old one). The pid inside is only there to name the holder in the error.
///
/// Keep the returned lock alive for as long as the daemon runs (for example with
/// `withExtendedLifetime(lock) { … }`): its descriptor holds the lock, and releasing the last
/// reference closes it. The descriptor is close-on-exec, so no child process inherits the lock.
///
/// The pid doubles as the mark of an unclean stop: a holder that stops cleanly empties the file
/// (`recordCleanStop`), so a pid found in it when the lock is taken (`uncleanStopPID`) is one
/// that ended otherwise — killed, crashed, or the machine lost power. The lock file is the mark,
/// rather than a file or a `meta` row of its own, because only the holder writes it and it does
/// so at every start anyway, and because it can be read when the catalogue cannot.
public final class InstanceLock: Sendable {
    /// The lock file, `<state>/newsd.lock`.
    public let path: String
    /// The pid the previous holder left in the file: it did not stop cleanly. `nil` when the file
    /// was new or empty.
    public let uncleanStopPID: Int32?
    /// The open file description that holds the lock.
    private let descriptor: Int32

    private init(path: String, descriptor: Int32, uncleanStopPID: Int32?) {
        self.path = path
        self.descriptor = descriptor
        self.uncleanStopPID = uncleanStopPID
    }

    deinit { close(descriptor) }

    /// The lock file's name inside the state directory.
    public static let fileName = "newsd.lock"

    /// Takes the lock for `stateDirectory` (creating the directory, mode 0750, if needed) and
    /// writes our pid into the lock file. Throws `InstanceLockError` naming the holder's pid when
    /// another process — or another open of the same file in this process — holds it.
    public static func acquire(stateDirectory: String) throws -> InstanceLock {
        let path = stateDirectory + "/" + fileName
        func failure(_ operation: String) -> InstanceLockError {
            InstanceLockError(
                kind: .unusable(SystemError(operation).description), stateDirectory: stateDirectory,
                lockPath: path, holderPID: nil)
        }

        do {
            try FileManager.default.createDirectory(
                atPath: stateDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o750])
        } catch {
            throw InstanceLockError(
                kind: .unusable("cannot create the directory: \(error.localizedDescription)"),
                stateDirectory: stateDirectory, lockPath: path, holderPID: nil)
        }

        // O_NOFOLLOW: a symlink planted in the state directory must not redirect our truncate.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw failure("open") }

        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let code = errno
            if code == EWOULDBLOCK {
                let holder = readPID(fd)
                close(fd)
                throw InstanceLockError(
                    kind: .alreadyRunning, stateDirectory: stateDirectory, lockPath: path, holderPID: holder)
            }
            close(fd)
            throw InstanceLockError(
                kind: .unusable(SystemError("flock", code: code).description), stateDirectory: stateDirectory,
                lockPath: path, holderPID: nil)
        }

        // Only the holder writes, and only after locking, so readers see our pid or an empty file.
        let previous = readPID(fd)
        let contents = Array("\(getpid())\n".utf8)
        let written = contents.withUnsafeBytes { bytes in
            ftruncate(fd, 0) == 0 ? pwrite(fd, bytes.baseAddress, bytes.count, 0) : -1
        }
        guard written == contents.count else {
            let error = failure("write")
            close(fd)
            throw error
        }
        // On disk before the catalogue is written: a power loss must not take the mark back.
        guard fdatasync(fd) == 0 else {
            let error = failure("fdatasync")
            close(fd)
            throw error
        }
        return InstanceLock(path: path, descriptor: fd, uncleanStopPID: previous)
    }

    /// Empties the lock file: the next holder then knows this one stopped cleanly. Call it last,
    /// once the catalogue has had its final write; the lock itself is held until release. A
    /// failure is not reported: it can only cost the next start a check of the catalogue.
    public func recordCleanStop() {
        _ = ftruncate(descriptor, 0)
    }

    /// The pid written in the lock file, if it holds one.
    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            return nil
        }
        return pid
    }
}

/// Why the instance lock could not be taken, worded for the person starting the daemon.
public struct InstanceLockError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// Another daemon holds the lock.
        case alreadyRunning
        /// The lock file could not be created, opened, locked or written: what failed and why.
        case unusable(String)
    }

    /// What went wrong.
    public var kind: Kind
    /// The state directory the lock guards.
    public var stateDirectory: String
    /// The lock file.
    var lockPath: String
    /// The pid recorded by the holder, when another daemon holds the lock and has written it.
    public var holderPID: Int32?

    /// Creates an error; `acquire` is the only producer outside tests.
    public init(kind: Kind, stateDirectory: String, lockPath: String, holderPID: Int32?) {
        self.kind = kind
        self.stateDirectory = stateDirectory
        self.lockPath = lockPath
        self.holderPID = holderPID
    }

    public var description: String {
        switch kind {
        case .alreadyRunning:
            let who = holderPID.map { "another newsd (pid \($0))" } ?? "another newsd"
            return
                "\(who) is already running on the state directory \(stateDirectory); "
                + "stop it first or use another --state"
        case .unusable(let reason):
            return
                "cannot lock the state directory \(stateDirectory) (\(lockPath): \(reason)); "
                + "check that it exists and is writable, or use another --state"
        }
    }
}
