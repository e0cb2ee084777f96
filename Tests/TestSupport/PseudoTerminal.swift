import Foundation
import Glibc
import Synchronization

/// A pseudo-terminal to give a child as its stderr, so that it behaves as it does for a person
/// watching, with what it prints there recorded byte for byte (output processing is off: a
/// `\n` stays a `\n`).
///
/// The test keeps the terminal's side open too, so the terminal outlives the child. The kernel
/// hands a terminal's output on to the reading side asynchronously but in order, so a marker
/// the test writes after the child has exited says when everything the child wrote is read.
public final class PseudoTerminal: @unchecked Sendable {
    /// The terminal's path (`/dev/pts/N`), to open as the child's stderr.
    public let path: String
    /// The reading side (`posix_openpt`).
    private let controller: Int32
    /// The terminal's side, held by the test.
    private let terminal: Int32
    private let recorder = TerminalRecorder()

    /// Opens a terminal `columns` wide.
    public init(columns: UInt16 = 120) throws {
        let functions = try PseudoTerminalFunctions()
        controller = functions.open(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard controller >= 0 else { throw ScratchError("posix_openpt: \(String(cString: strerror(errno)))") }
        var name = [CChar](repeating: 0, count: 128)
        guard functions.grant(controller) == 0, functions.unlock(controller) == 0,
            functions.name(controller, &name, name.count) == 0
        else {
            close(controller)
            throw ScratchError("cannot set up a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        terminal = Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard terminal >= 0 else {
            close(controller)
            throw ScratchError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var attributes = termios()
        tcgetattr(terminal, &attributes)
        attributes.c_oflag &= ~tcflag_t(OPOST)
        tcsetattr(terminal, TCSANOW, &attributes)
        var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = withUnsafeMutablePointer(to: &size) { ioctl(terminal, UInt(TIOCSWINSZ), $0) }
        // The reader holds the recorder and a descriptor, not `self`: releasing the terminal
        // stops the reader, then closes the descriptors.
        let thread = Thread { [recorder, controller] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !recorder.stopReading.load(ordering: .acquiring) {
                var poller = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(controller, $0.baseAddress, $0.count) }
                if count > 0 { recorder.bytes.withLock { $0 += buffer[0..<count] } }
            }
            recorder.readerDone.signal()
        }
        thread.start()
    }

    deinit {
        recorder.stopReading.store(true, ordering: .releasing)
        recorder.readerDone.wait()
        close(terminal)
        close(controller)
    }

    /// Runs `executable` to completion with its stderr on this terminal and its stdout in a file
    /// (stdin on /dev/null); the result's `stderr` is what appeared on the terminal.
    public func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        timeout: Double = 60,
        in scratch: Scratch
    ) throws -> RunResult {
        let outPath = scratch.url("pty-run-\(UUID().uuidString.prefix(8)).out")
        let child = try Spawned(
            executable, arguments, environment: childEnvironment(environment), stdout: outPath, stderr: path)
        guard let status = child.wait(timeout: timeout) else {
            child.signal(SIGKILL)
            _ = child.wait(timeout: 10)
            throw ScratchError("\(executable) \(arguments) did not finish within \(timeout) s")
        }
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return RunResult(status: status, stdout: stdout, stderr: try takeTranscript())
    }

    /// Everything written to the terminal since the last call, once the child that wrote it
    /// has exited.
    public func takeTranscript(timeout: Double = 20) throws -> String {
        let marker = Array("\n--- end of transcript \(UUID().uuidString) ---\n".utf8)
        let written = marker.withUnsafeBytes { write(terminal, $0.baseAddress, $0.count) }
        guard written == marker.count else { throw ScratchError("cannot write to \(path)") }
        var transcript: [UInt8]?
        _ = waitUntil(timeout: timeout) {
            recorder.bytes.withLock { bytes in
                guard let end = bytes.firstRange(of: marker) else { return false }
                transcript = Array(bytes[..<end.lowerBound])
                bytes.removeSubrange(..<end.upperBound)
                return true
            }
        }
        guard let transcript else {
            throw ScratchError("the terminal's output did not arrive in \(timeout) s")
        }
        return String(decoding: transcript, as: UTF8.self)
    }
}

/// What the terminal's reader thread shares with the test.
private final class TerminalRecorder: Sendable {
    let bytes = Mutex<[UInt8]>([])
    let readerDone = DispatchSemaphore(value: 0)
    let stopReading = Atomic<Bool>(false)
}

/// glibc's pseudo-terminal functions, looked up at run time: Swift's Glibc module leaves out
/// the declarations `_XOPEN_SOURCE` guards.
private struct PseudoTerminalFunctions {
    typealias Descriptor = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32
    let open: Descriptor
    let grant: Descriptor
    let unlock: Descriptor
    let name: Name

    init() throws {
        func look(_ symbol: String) throws -> UnsafeMutableRawPointer {
            guard let found = dlsym(nil, symbol) else {
                throw ScratchError("this C library has no \(symbol)")
            }
            return found
        }
        open = unsafeBitCast(try look("posix_openpt"), to: Descriptor.self)
        grant = unsafeBitCast(try look("grantpt"), to: Descriptor.self)
        unlock = unsafeBitCast(try look("unlockpt"), to: Descriptor.self)
        name = unsafeBitCast(try look("ptsname_r"), to: Name.self)
    }
}
