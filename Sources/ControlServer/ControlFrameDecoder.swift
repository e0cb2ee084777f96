import ControlWire
import NIOCore

/// What the framing layer hands the connection: a request line, or word that a line was too long.
enum ControlFrame: Sendable {
    /// One line, without its newline (and without a trailing carriage return).
    case line(ByteBuffer)
    /// A line grew past the limit; everything after it on the connection is discarded.
    case tooLarge
}

/// Splits the byte stream into newline-terminated lines of at most `maxLength` bytes.
///
/// It remembers how far it has searched, so a long line arriving in many reads is scanned
/// once (not once per read). Past the limit it emits `.tooLarge` once and then drops
/// everything: the connection is answered and closed, so memory per client stays bounded.
struct ControlFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ControlFrame

    let maxLength: Int
    private var searched = 0
    private var discarding = false

    init(maxLength: Int = ControlProtocol.maxRequestBytes) {
        self.maxLength = maxLength
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if discarding {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        let start = view.index(view.startIndex, offsetBy: searched)
        if let newline = view[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var length = newline - view.startIndex
            searched = 0
            if length > maxLength {
                return tooLarge(context: context, buffer: &buffer)
            }
            if length > 0, view[view.startIndex + length - 1] == UInt8(ascii: "\r") { length -= 1 }
            let line = buffer.getSlice(at: buffer.readerIndex, length: length) ?? ByteBuffer()
            buffer.moveReaderIndex(forwardBy: newline - view.startIndex + 1)
            context.fireChannelRead(Self.wrapInboundOut(.line(line)))
            return .continue
        }
        searched = view.count
        if view.count > maxLength {
            return tooLarge(context: context, buffer: &buffer)
        }
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        let state = try decode(context: context, buffer: &buffer)
        if state == .continue { return .continue }
        // A last request without its newline still counts.
        if !discarding, buffer.readableBytes > 0 {
            let line = buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
            searched = 0
            context.fireChannelRead(Self.wrapInboundOut(.line(line)))
        }
        return .needMoreData
    }

    private mutating func tooLarge(context: ChannelHandlerContext, buffer: inout ByteBuffer) -> DecodingState
    {
        discarding = true
        buffer.moveReaderIndex(to: buffer.writerIndex)
        context.fireChannelRead(Self.wrapInboundOut(.tooLarge))
        return .needMoreData
    }
}
