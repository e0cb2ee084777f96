import ControlWire
import NIOCore

/// Writes a connection's replies and notifications, one JSON line each.
///
/// Writes go through NIO's async writer: when the client does not read, `write` waits (the
/// channel is not writable past its high-water mark) instead of buffering without bound.
struct ControlResponder: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// Completes when the client has stopped sending (end of input) or the connection closed.
    let peerGone: EventLoopFuture<Void>

    /// Writes already-encoded lines.
    func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Writes a reply.
    func reply(_ id: RequestID?, _ result: some Encodable & Sendable) async throws {
        try await write(ControlCoding.line(ControlReply(id: id, result: result)))
    }

    /// Writes an error reply.
    func error(_ id: RequestID?, _ error: ControlError) async throws {
        try await write(ControlCoding.line(ControlErrorReply(id: id, error: error)))
    }

    /// Writes a notification.
    func notify(_ id: RequestID?, method: String, _ params: some Encodable & Sendable) async throws {
        try await write(ControlCoding.line(ControlNotification(id: id, method: method, params: params)))
    }
}
