import ControlWire
import NIOCore

/// Tells a connection's idle timer whether a request is being served.
enum ControlActivity: Sendable {
    /// A request is in progress (a `follow` stream counts): the timer is off.
    case busy
    /// The connection waits for the next request: the timer runs from now.
    case idle
}

/// Watches one connection: closes it when it sends no request for `timeout` (after telling it
/// why), and completes `peerGone` when the client stops sending or the connection closes.
///
/// The timer runs only while the connection is idle (the async side sends `ControlActivity`
/// as a user outbound event around each request) and restarts on every inbound byte.
final class ControlIdleHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var busy = false

    private let peerGone: EventLoopPromise<Void>

    init(timeout: TimeAmount, peerGone: EventLoopPromise<Void>) {
        self.timeout = timeout
        self.peerGone = peerGone
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            peerGone.succeed(())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        peerGone.succeed(())
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        peerGone.succeed(())
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !busy { arm(context) }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(
        context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?
    ) {
        guard let activity = event as? ControlActivity else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch activity {
        case .busy:
            busy = true
            timer?.cancel()
            timer = nil
        case .idle:
            busy = false
            arm(context)
        }
        promise?.succeed(())
    }

    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = bound.value
            handler.expire(context)
        }
    }

    private func expire(_ context: ChannelHandlerContext) {
        timer = nil
        guard !busy else { return }
        let seconds = timeout.nanoseconds / 1_000_000_000
        let error = ControlError(
            .idleTimeout, "no request for \(seconds) s; closing the connection (reconnect to go on)")
        var buffer = context.channel.allocator.buffer(capacity: 160)
        buffer.writeBytes(ControlCoding.line(ControlErrorReply(id: nil, error: error)))
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(NIOAny(buffer)).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
