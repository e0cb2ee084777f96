import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import ServiceLifecycle

@testable import newsweb

/// The pages served for real: newsweb's router in a Hummingbird application on a free
/// loopback port, asked over TCP by a plain HTTP/1.1 client. The whole stack a browser meets
/// (parsing, headers, the response writer) is in the test, and no HTTP client library is
/// built for it.
enum LiveServer {
    /// Serves `router` until `test` returns.
    static func serve<Value: Sendable>(
        _ router: Router<BasicRequestContext>, _ test: @Sendable (HTTPTestClient) async throws -> Value
    ) async throws -> Value {
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                listening.yield(channel.localAddress?.port ?? 0)
                listening.finish()
            },
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
        let services = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], logger: app.logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // A server that cannot start ends the wait for its port instead of hanging it.
                defer { listening.finish() }
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await services.triggerGracefulShutdown()
                throw HTTPTestClient.Failure("the test server did not start")
            }
            do {
                let value = try await test(HTTPTestClient(port: port))
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return value
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }
}

/// One answer as the client read it.
struct TestResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer
}

/// A blocking HTTP/1.1 client for the test server: one connection per request
/// (`Connection: close`), read to its end, on NIO's thread pool (never on the cooperative
/// pool the server's handlers run on).
struct HTTPTestClient: Sendable {
    let port: Int

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Sends a request and hands its response to `check`.
    func execute(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:],
        _ check: (TestResponse) throws -> Void
    ) async throws {
        let port = self.port
        let response = try await NIOThreadPool.singleton.runIfActive {
            try Self.exchange(port: port, uri: uri, method: method, headers: headers)
        }
        try check(response)
    }

    private static func exchange(
        port: Int, uri: String, method: HTTPRequest.Method, headers: HTTPFields
    ) throws -> TestResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure("connect to port \(port): errno \(errno)") }
        var request = "\(method.rawValue) \(uri) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for field in headers { request += "\(field.name.rawName): \(field.value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure("send: errno \(errno)") }
            sent += n
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n >= 0 else { throw Failure("recv: errno \(errno)") }
            if n == 0 { break }
            received += chunk[..<n]
        }
        return try parse(received)
    }

    /// A response: status line, header fields, and the body (chunked or to the end).
    static func parse(_ bytes: [UInt8]) throws -> TestResponse {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw Failure("no end of the header in \(bytes.count) bytes")
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, let code = Int(statusParts[1]) else {
            throw Failure("bad status line \(head[0])")
        }
        var fields = HTTPFields()
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon]))
            else {
                throw Failure("bad header line \(line)")
            }
            fields.append(
                HTTPField(
                    name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            )
        }
        var body = Array(bytes[(end + separator.count)...])
        if fields[.transferEncoding]?.lowercased() == "chunked" { body = try dechunk(body) }
        return TestResponse(
            status: HTTPResponse.Status(code: code), headers: fields, body: ByteBuffer(bytes: body))
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var body: [UInt8] = []
        var index = 0
        let lineEnd = Array("\r\n".utf8)
        while true {
            guard let sizeEnd = bytes[index...].indices.first(where: { bytes[$0...].starts(with: lineEnd) }),
                let size = Int(
                    String(decoding: bytes[index..<sizeEnd], as: UTF8.self).split(separator: ";")[0],
                    radix: 16)
            else { throw Failure("bad chunk size at byte \(index)") }
            if size == 0 { return body }
            let start = sizeEnd + 2
            guard start + size <= bytes.count else { throw Failure("a chunk runs past the end") }
            body += bytes[start..<(start + size)]
            index = start + size + 2
        }
    }
}
