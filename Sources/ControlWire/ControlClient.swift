import Foundation
import Glibc

/// A blocking client for the control socket: one connection, one request at a time.
///
/// Used by `newsctl`, the tests and the benchmark. It needs no event loop: it writes a line
/// and reads lines until the reply with its id, handing notifications to a callback.
public final class ControlClient {
    /// The socket's path.
    public let socketPath: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)
    private var nextID: Int64 = 1

    /// Connects to the daemon's socket at `socketPath`.
    public init(socketPath: String) throws(ControlClientError) {
        self.socketPath = socketPath
        guard Array(socketPath.utf8).count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw ControlClientError.unreachable(
                path: socketPath, reason: "the path is too long for a socket")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw ControlClientError.unreachable(path: socketPath, reason: String(cString: strerror(errno)))
        }
        var result: Int32
        repeat {
            result = withAddress(socketPath) { connect(fd, $0, $1) }
        } while result != 0 && errno == EINTR
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ControlClientError.unreachable(path: socketPath, reason: reason)
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Sends a request and returns its result decoded as `R`; notifications for it go to
    /// `onNotification` (its method and the raw line) as they arrive.
    public func call<P: Encodable & Sendable, R: Decodable & Sendable>(
        _ method: String, _ params: P, as type: R.Type,
        onNotification: ((String, [UInt8]) throws -> Void)? = nil
    ) throws -> R {
        let line = try callRaw(method, params, onNotification: onNotification)
        do {
            return try ControlCoding.decode(ControlResultEnvelope<R>.self, from: line).result
        } catch {
            throw ControlClientError.protocolError("cannot read the reply to \(method): \(error)")
        }
    }

    /// Sends a request and returns the raw line of its final reply (after checking it is not an
    /// error).
    public func callRaw<P: Encodable & Sendable>(
        _ method: String, _ params: P, onNotification: ((String, [UInt8]) throws -> Void)? = nil
    ) throws -> [UInt8] {
        let id = RequestID.number(nextID)
        nextID += 1
        do {
            try send(ControlCoding.line(ControlRequest(id: id, method: method, params: params)))
        } catch {
            // A daemon that refused us (too many clients, permission) may have closed first;
            // its reason is still waiting to be read.
            if let line = try? readLine(),
                let head = try? ControlCoding.decode(ControlReplyHead.self, from: line),
                let refusal = head.error
            {
                throw ControlClientError.remote(refusal)
            }
            throw error
        }
        while true {
            guard let line = try readLine() else {
                throw ControlClientError.closed("newsd closed the connection before answering \(method)")
            }
            let head: ControlReplyHead
            do {
                head = try ControlCoding.decode(ControlReplyHead.self, from: line)
            } catch {
                throw ControlClientError.protocolError("newsd sent a line that is not a JSON object")
            }
            if let error = head.error {
                // An error without an id (refusal, idle timeout, shutdown) is for us too.
                if head.id == id || head.id == nil { throw ControlClientError.remote(error) }
                continue
            }
            guard head.id == id else { continue }
            if let method = head.method {
                try onNotification?(method, line)
                continue
            }
            return line
        }
    }

    /// Writes raw bytes (tests use it to send malformed requests).
    public func send(_ bytes: [UInt8]) throws(ControlClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw ControlClientError.closed("cannot write to newsd: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Reads the next line the daemon sent (without its newline); `nil` at end of stream.
    public func readLine() throws(ControlClientError) -> [UInt8]? {
        var searched = start
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                return line
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            searched = buffer.count
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ControlClientError.closed("cannot read from newsd: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                if buffer.isEmpty { return nil }
                let line = buffer
                buffer.removeAll()
                return line
            }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Makes reads give up after `seconds` without data (they then throw `closed`); 0 waits
    /// for ever (the default).
    public func setReceiveTimeout(_ seconds: Double) {
        var timeout = timeval(
            tv_sec: Int(seconds.rounded(.down)), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Stops sending (half-close): the daemon answers what it has and then closes.
    public func finishSending() {
        shutdown(fd, Int32(SHUT_WR))
    }
}

/// Why a control request failed, from the client's side.
public enum ControlClientError: Error, CustomStringConvertible, Sendable {
    /// The socket could not be reached: no daemon, wrong path, or no permission.
    case unreachable(path: String, reason: String)
    /// The daemon answered with an error.
    case remote(ControlError)
    /// The connection ended early or failed.
    case closed(String)
    /// The daemon sent something this client does not understand.
    case protocolError(String)

    public var description: String {
        switch self {
        case .unreachable(let path, let reason): "cannot connect to newsd at \(path): \(reason)"
        case .remote(let error): error.message
        case .closed(let message): message
        case .protocolError(let message): message
        }
    }
}
