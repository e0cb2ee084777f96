import Foundation
import Glibc

/// A stand-in for systemd's notification socket: a bound `AF_UNIX` datagram socket that records
/// what a daemon sends to `$NOTIFY_SOCKET` (so sd_notify is tested without systemd).
public final class NotifyListener: @unchecked Sendable {
    /// The value to put in `NOTIFY_SOCKET`: the path, or `@name` for an abstract socket.
    public let address: String
    private let descriptor: Int32

    /// Binds a listener at the filesystem path `path`.
    public convenience init(path: String) throws {
        try self.init(address: path, sunPath: Array(path.utf8) + [0])
    }

    /// Binds a listener on the abstract name `name` (no leading `@`); `address` is `@name`.
    public convenience init(abstractName name: String) throws {
        try self.init(address: "@" + name, sunPath: [0] + Array(name.utf8))
    }

    private init(address: String, sunPath: [UInt8]) throws {
        self.address = address
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ScratchError("socket: \(String(cString: strerror(errno)))") }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        guard sunPath.count <= MemoryLayout.size(ofValue: socketAddress.sun_path) else {
            close(fd)
            throw ScratchError("socket address too long: \(address)")
        }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: sunPath) }
        let length = socklen_t(
            (MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2) + sunPath.count)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ScratchError("bind \(address): \(message)")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// The next datagram, or `nil` when none arrives within `timeout` seconds.
    public func receive(timeout: Double = 10) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = max(0, Int32(deadline.timeIntervalSinceNow * 1000))
            let ready = poll(&poller, 1, remaining)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            return String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }

    /// Every datagram already queued, without waiting.
    public func drain() -> [String] {
        var messages: [String] = []
        while let message = receive(timeout: 0) { messages.append(message) }
        return messages
    }
}
