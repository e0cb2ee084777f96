import ControlWire
import Foundation
import NIOCore

/// One accepted client: its async channel, the raw channel under it, who it is, and a future
/// that completes when it stops sending.
struct AcceptedConnection: Sendable {
    let channel: NIOAsyncChannel<ControlFrame, ByteBuffer>
    let raw: any Channel
    let credentials: PeerCredentials?
    let peerGone: EventLoopFuture<Void>

    /// Serves requests one after another until the client goes, the connection idles out, or
    /// the server shuts down (the task is cancelled). Never throws: a connection's failure is
    /// its own.
    func serve(with handler: ControlHandler) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                let out = ControlResponder(outbound: outbound, peerGone: peerGone)
                do {
                    try await loop(inbound, out, handler)
                } catch {
                    // Shutting down: say so before the channel closes (the async writer refuses
                    // writes from a cancelled task, the channel itself does not).
                    if Task.isCancelled { refuse(ControlError(.shuttingDown, "the daemon is shutting down")) }
                    throw error
                }
                if Task.isCancelled { refuse(ControlError(.shuttingDown, "the daemon is shutting down")) }
            }
        } catch {
            handler.context.logger.debug("control connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func loop(
        _ inbound: NIOAsyncChannelInboundStream<ControlFrame>, _ out: ControlResponder,
        _ handler: ControlHandler
    ) async throws {
        for try await frame in inbound {
            switch frame {
            case .tooLarge:
                try await out.error(
                    nil,
                    ControlError(
                        .requestTooLarge,
                        "a request line is limited to \(ControlProtocol.maxRequestBytes) bytes; closing the connection"
                    ))
                return
            case .line(let buffer):
                raw.triggerUserOutboundEvent(ControlActivity.busy, promise: nil)
                try await handler.handle(Array(buffer.readableBytesView), out)
                raw.triggerUserOutboundEvent(ControlActivity.idle, promise: nil)
            }
        }
    }

    /// Writes one error line straight to the channel (outside the request loop) and lets the
    /// caller close it.
    func refuse(_ error: ControlError) {
        let bytes = ControlCoding.line(ControlErrorReply(id: nil, error: error))
        raw.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// Refuses the client with `error` and closes the connection.
    func refuseAndClose(_ error: ControlError) async {
        refuse(error)
        try? await channel.executeThenClose { _, _ in }
    }
}
