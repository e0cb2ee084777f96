import Foundation
import Glibc
import TestSupport
import Testing

@testable import Daemon

@Suite struct InstanceLockTests {
    /// Takes the lock on `state` once it is free. Releasing a lock closes its descriptor, but a
    /// child process that a concurrent test is starting holds a copy of it (and so the lock)
    /// from its fork until its exec closes it (`O_CLOEXEC`): a moment, longer on a busy machine.
    func acquireOnceReleased(_ state: String) throws -> InstanceLock {
        var lock: InstanceLock?
        _ = waitUntil(timeout: 10) {
            lock = try? InstanceLock.acquire(stateDirectory: state)
            return lock != nil
        }
        return try lock ?? InstanceLock.acquire(stateDirectory: state)
    }

    @Test func takesTheLockAndRecordsOurPID() throws {
        let scratch = try Scratch("lock")
        let state = scratch.url("state/nested")  // created on the way
        let lock = try InstanceLock.acquire(stateDirectory: state)
        #expect(lock.path == state + "/newsd.lock")
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
    }

    @Test func aSecondAcquireInTheSameProcessFailsNamingUs() throws {
        // flock locks belong to an open file description, so a second open() in this very
        // process conflicts exactly as another process would.
        let scratch = try Scratch("lock")
        let state = scratch.url("state")
        let first = try InstanceLock.acquire(stateDirectory: state)
        let error = try #require(throws: InstanceLockError.self) {
            try InstanceLock.acquire(stateDirectory: state)
        }
        #expect(error.kind == .alreadyRunning)
        #expect(error.holderPID == getpid())
        #expect(
            error.description
                == "another newsd (pid \(getpid())) is already running on the state directory \(state); "
                + "stop it first or use another --state")
        withExtendedLifetime(first) {}
    }

    @Test func releasingTheLockLetsTheNextOneInAndKeepsTheFile() throws {
        let scratch = try Scratch("lock")
        let state = scratch.url("state")
        var first: InstanceLock? = try InstanceLock.acquire(stateDirectory: state)
        let path = try #require(first?.path)
        first = nil
        let second = try acquireOnceReleased(state)
        #expect(second.path == path)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func anotherProcessHoldingTheLockIsNamedByItsPID() throws {
        let scratch = try Scratch("lock")
        let state = scratch.url("state")
        try scratch.mkdir("state")
        let lockFile = state + "/" + InstanceLock.fileName

        // flock(1) holds the lock while `cat` waits on a pipe we own; `-o` keeps the lock out of
        // `cat`, so killing flock(1) alone releases it. `cat` ends when the pipe closes, and must
        // end before `waitUntilExit` can return (Foundation learns of an exit through a
        // descriptor that `cat` inherits).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-o", lockFile, "cat"]
        let stdin = Pipe()
        holder.standardInput = stdin
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        defer {
            try? stdin.fileHandleForWriting.close()
            if holder.isRunning { kill(holder.processIdentifier, SIGKILL) }
            holder.waitUntilExit()
        }
        // flock(1) does not write a pid; a newsd would. Write it as one would.
        try "\(holder.processIdentifier)\n".write(toFile: lockFile, atomically: false, encoding: .utf8)
        let held = try waitUntil {
            try run("/usr/bin/flock", ["-n", "-E", "99", lockFile, "true"]).status == 99
        }
        try #require(held, "flock(1) never took the lock")

        let error = try #require(throws: InstanceLockError.self) {
            try InstanceLock.acquire(stateDirectory: state)
        }
        #expect(error.holderPID == holder.processIdentifier)
        #expect(
            error.description
                == "another newsd (pid \(holder.processIdentifier)) is already running on the state "
                + "directory \(state); stop it first or use another --state")

        // However the holder dies, the kernel drops its lock: the stale pid in the file is no obstacle.
        kill(holder.processIdentifier, SIGKILL)
        let released = try waitUntil {
            try run("/usr/bin/flock", ["-n", "-E", "99", lockFile, "true"]).status == 0
        }
        try #require(released, "the lock outlived its holder")
        let lock = try InstanceLock.acquire(stateDirectory: state)
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
    }

    @Test func aPIDLeftInTheFileMarksAnUncleanStopAndACleanStopEmptiesIt() throws {
        let scratch = try Scratch("lock")
        let state = scratch.url("state")
        var first: InstanceLock? = try InstanceLock.acquire(stateDirectory: state)
        #expect(first?.uncleanStopPID == nil)
        first = nil  // released without recording a clean stop, as after a crash

        var second: InstanceLock? = try acquireOnceReleased(state)
        #expect(second?.uncleanStopPID == getpid())
        second?.recordCleanStop()
        #expect(try String(contentsOfFile: state + "/newsd.lock", encoding: .utf8) == "")
        second = nil

        let third = try acquireOnceReleased(state)
        #expect(third.uncleanStopPID == nil)
        #expect(try String(contentsOfFile: third.path, encoding: .utf8) == "\(getpid())\n")
    }

    @Test func aHolderThatHasNotWrittenItsPIDYetIsStillRefused() throws {
        let scratch = try Scratch("lock")
        let state = scratch.url("state")
        try scratch.write("state/newsd.lock", "")
        let fd = open(state + "/newsd.lock", O_RDWR | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let error = try #require(throws: InstanceLockError.self) {
            try InstanceLock.acquire(stateDirectory: state)
        }
        #expect(error.holderPID == nil)
        #expect(
            error.description
                == "another newsd is already running on the state directory \(state); "
                + "stop it first or use another --state")
    }

    @Test func anUnusableStateDirectoryIsExplained() throws {
        let scratch = try Scratch("lock")
        let notADirectory = try scratch.write("file", "x")
        let error = try #require(throws: InstanceLockError.self) {
            try InstanceLock.acquire(stateDirectory: notADirectory)
        }
        guard case .unusable = error.kind else {
            Issue.record("expected .unusable, got \(error.kind)")
            return
        }
        #expect(error.description.hasPrefix("cannot lock the state directory \(notADirectory) ("))
        #expect(error.description.hasSuffix("; check that it exists and is writable, or use another --state"))

        // A symlink in place of the lock file is refused, never followed.
        try scratch.mkdir("state")
        symlink(scratch.url("elsewhere"), scratch.url("state/newsd.lock"))
        let linked = try #require(throws: InstanceLockError.self) {
            try InstanceLock.acquire(stateDirectory: scratch.url("state"))
        }
        #expect(linked.kind == .unusable("open: \(String(cString: strerror(ELOOP)))"))
        #expect(!FileManager.default.fileExists(atPath: scratch.url("elsewhere")))
    }
}
