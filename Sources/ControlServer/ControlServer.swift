import CSystemShims
import Catalogue
import ControlWire
import Glibc
import Logging
import NIOCore
import NIOPosix
import NewsCore
import ServiceLifecycle
import SyncCore

/// The control socket as a `Service`: accepts clients on the listener, serves each in its own
/// child task of one discarding task group, and on graceful shutdown stops accepting, tells
/// open connections the daemon is stopping and closes them.
///
/// List it after the daemon in the `ServiceGroup`: services stop in reverse order, so the
/// socket closes before the engine stops and no request waits on a stopped engine.
public final class ControlServer: Service, Sendable {
    private let listener: ControlListener
    private let context: ControlContext
    private let daemonUID = geteuid()

    /// Creates a server over an opened listener; `run()` takes the listener's descriptor over.
    public init(
        listener: ControlListener, hub: EngineHub, database: AppDatabase, tree: Tree,
        settings: ControlSettings,
        logger: Logger
    ) {
        self.listener = listener
        self.context = ControlContext(
            hub: hub, database: database, tree: tree, settings: settings, logger: logger)
    }

    public func run() async throws {
        let idle = TimeAmount.nanoseconds(Int64(clamping: context.settings.idleTimeout.inNanoseconds))
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(listener.descriptor) { channel in
                Self.accept(channel, idle: idle)
            }
        context.logger.info(
            "control socket ready",
            metadata: [
                "socket": "\(listener.path ?? "(unnamed)")", "activated": "\(listener.activated)",
                "max_clients": "\(context.settings.maxClients)",
            ])
        let handler = ControlHandler(context: context)
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { inbound in
                for try await connection in inbound.cancelOnGracefulShutdown() {
                    group.addTask { await self.serve(connection, handler: handler) }
                }
            }
            // Stopped accepting: end the open connections too.
            group.cancelAll()
        }
        listener.unlinkIfOwned()
        context.logger.info("control socket closed")
    }

    /// Sets up an accepted channel: peer credentials, idle watch, line framing, async wrapper.
    private static func accept(_ channel: any Channel, idle: TimeAmount) -> EventLoopFuture<
        AcceptedConnection
    > {
        let credentials: EventLoopFuture<PeerCredentials?>
        if let provider = channel as? any SocketOptionProvider {
            let raw: EventLoopFuture<newsd_peer_credentials> = provider.unsafeGetSocketOption(
                level: .socket, name: NIOBSDSocket.Option(rawValue: newsd_so_peercred))
            credentials = raw.map { Optional(PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid)) }
                .recover { _ in nil }
        } else {
            credentials = channel.eventLoop.makeSucceededFuture(nil)
        }
        return credentials.flatMapThrowing { credentials in
            let peerGone = channel.eventLoop.makePromise(of: Void.self)
            let wrapped: NIOAsyncChannel<ControlFrame, ByteBuffer>
            do {
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHandler(ControlIdleHandler(timeout: idle, peerGone: peerGone))
                try pipeline.addHandler(ByteToMessageHandler(ControlFrameDecoder()))
                wrapped = try NIOAsyncChannel<ControlFrame, ByteBuffer>(
                    wrappingChannelSynchronously: channel,
                    configuration: NIOAsyncChannel.Configuration(
                        inboundType: ControlFrame.self, outboundType: ByteBuffer.self))
            } catch {
                peerGone.succeed(())
                throw error
            }
            return AcceptedConnection(
                channel: wrapped, raw: channel, credentials: credentials, peerGone: peerGone.futureResult)
        }
    }

    private func serve(_ connection: AcceptedConnection, handler: ControlHandler) async {
        let count = context.clients.wrappingAdd(1, ordering: .relaxed).newValue
        defer { context.clients.wrappingSubtract(1, ordering: .relaxed) }
        guard let credentials = connection.credentials,
            credentials.isAllowed(daemonUID: daemonUID, socketGroup: listener.group)
        else {
            context.logger.notice(
                "control client refused",
                metadata: [
                    "uid": "\(connection.credentials.map { "\($0.uid)" } ?? "unknown")",
                    "pid": "\(connection.credentials.map { "\($0.pid)" } ?? "unknown")",
                ])
            await connection.refuseAndClose(
                ControlError(
                    .permissionDenied,
                    "this user may not use newsd's control socket; ask for membership of the socket's group "
                        + "(newsd --socket-group)"))
            return
        }
        guard count <= context.settings.maxClients else {
            context.logger.notice(
                "control client refused: too many clients", metadata: ["clients": "\(count - 1)"])
            await connection.refuseAndClose(
                ControlError(
                    .tooManyClients,
                    "newsd already serves \(context.settings.maxClients) clients (--max-clients); try again later"
                ))
            return
        }
        await connection.serve(with: handler)
    }
}
