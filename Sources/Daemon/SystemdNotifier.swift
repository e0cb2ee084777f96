import Foundation
import Glibc
import NewsCore

/// Sends service notifications to systemd (`sd_notify(3)`) over `$NOTIFY_SOCKET`.
///
/// The protocol is one datagram of newline-separated `KEY=value` fields on an `AF_UNIX`,
/// `SOCK_DGRAM` socket. The address in `$NOTIFY_SOCKET` is a filesystem path (`/run/systemd/notify`)
/// or, when it starts with `@`, an abstract socket whose name is the rest.
///
/// A socket is opened for each message rather than kept for the life of the process: messages
/// are rare (a status change, a watchdog ping every few seconds), so the cost of `socket(2)` is
/// nothing next to what it buys — the value holds no descriptor, so it is trivially `Sendable`
/// and safe to call from any thread at once, it never leaks a descriptor into a child process,
/// and a failed send cannot leave a broken socket behind for the next message. libsystemd's own
/// `sd_notify` does the same.
///
/// Errors are swallowed (the methods report success as a `Bool` the caller may ignore): a daemon
/// must keep working when systemd is not listening, and notifications are advisory.
public struct SystemdNotifier: Sendable {
    /// The bytes of `sun_path`: the path, or a NUL followed by the abstract name. `nil` when
    /// `$NOTIFY_SOCKET` is unset or unusable.
    private let address: [UInt8]?
    /// `$WATCHDOG_USEC`, when set to a positive number.
    private let watchdogMicroseconds: Int64?
    /// `$WATCHDOG_PID`, when set: the watchdog is meant for that process only.
    private let watchdogPID: pid_t?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        address = environment["NOTIFY_SOCKET"].flatMap(Self.socketAddress)
        watchdogMicroseconds = environment["WATCHDOG_USEC"].flatMap { Int64($0) }.flatMap {
            $0 > 0 ? $0 : nil
        }
        watchdogPID = environment["WATCHDOG_PID"].flatMap { pid_t($0) }
    }

    /// Whether `$NOTIFY_SOCKET` names an address a datagram can be sent to.
    var isEnabled: Bool { address != nil }

    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC` (the margin `sd_watchdog_enabled(3)`
    /// recommends), or `nil` when no watchdog is configured or it is meant for another process.
    public var watchdogInterval: Duration? {
        guard let watchdogMicroseconds else { return nil }
        if let watchdogPID, watchdogPID != getpid() { return nil }
        return .microseconds(watchdogMicroseconds / 2)
    }

    /// Sends `fields` (newline-separated `KEY=value` assignments) as one datagram.
    /// Returns whether the datagram was handed to the socket; failures are otherwise ignored.
    @discardableResult
    public func notify(_ fields: String) -> Bool {
        guard let address else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // A datagram socket's receiver queue is short (`net.unix.max_dgram_qlen`, 10 by default),
        // so a burst can find it full for a moment: wait for room, but never longer than this,
        // so that a wedged service manager cannot stall the caller's thread for good.
        var timeout = timeval(tv_sec: Self.sendTimeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { path in
            path.copyBytes(from: address)
        }
        // The exact length matters: an abstract name has no terminator, so the length alone says
        // where it ends (a trailing NUL would name a different socket).
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = socklen_t(pathOffset + address.count)

        let payload = Array(fields.utf8)
        return payload.withUnsafeBytes { bytes in
            withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    while true {
                        let sent = sendto(
                            fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), generic, length)
                        if sent >= 0 { return true }
                        if errno != EINTR { return false }
                    }
                }
            }
        }
    }

    /// Tells systemd the daemon is serving (`READY=1`) and what it is doing.
    @discardableResult
    public func ready(status: String) -> Bool {
        notify("READY=1\nSTATUS=\(Self.oneLine(status))")
    }

    /// Updates the one-line status `systemctl status` shows.
    @discardableResult
    public func status(_ text: String) -> Bool {
        notify("STATUS=\(Self.oneLine(text))")
    }

    /// Announces a reload (`RELOADING=1`); send `ready(status:)` when it is done. systemd 252
    /// does not need the `MONOTONIC_USEC=` that `Type=notify-reload` (253+) requires.
    @discardableResult
    public func reloading() -> Bool {
        notify("RELOADING=1")
    }

    /// Announces an orderly shutdown (`STOPPING=1`).
    @discardableResult
    public func stopping() -> Bool {
        notify("STOPPING=1")
    }

    /// Keeps the watchdog from firing (`WATCHDOG=1`). Send it when the daemon has shown progress,
    /// not from a bare timer, so that a stuck pipeline gets restarted.
    @discardableResult
    public func watchdog() -> Bool {
        notify("WATCHDOG=1")
    }

    /// Asks for more time to start or stop (`EXTEND_TIMEOUT_USEC=`), e.g. while a first scan of a
    /// large tree runs before `READY=1`. The extension counts from now, not from the last one.
    @discardableResult
    func extendTimeout(by duration: Duration) -> Bool {
        notify("EXTEND_TIMEOUT_USEC=\(duration.inMicroseconds)")
    }

    /// The longest a message waits for room in systemd's queue before it is dropped.
    static let sendTimeoutSeconds = 2

    /// Parses `$NOTIFY_SOCKET` into the bytes of `sun_path`, or `nil` when it is not an absolute
    /// path or an `@` abstract name that fits (other forms, such as `vsock:`, need systemd 253+).
    static func socketAddress(_ value: String) -> [UInt8]? {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        var bytes = Array(value.utf8)
        guard bytes.count > 1, !bytes.contains(0) else { return nil }
        switch bytes[0] {
        case UInt8(ascii: "@"):
            // Abstract: a leading NUL, then the name; no terminator, the length says where it ends.
            bytes[0] = 0
            return bytes.count <= capacity ? bytes : nil
        case UInt8(ascii: "/"):
            bytes.append(0)
            return bytes.count <= capacity ? bytes : nil
        default:
            return nil
        }
    }

    /// A newline in `STATUS=` would start a new assignment, so the text is kept on one line.
    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }
}
