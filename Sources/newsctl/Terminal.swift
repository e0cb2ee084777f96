import Foundation
import Glibc

/// Where output goes and whether it may be decorated.
enum Terminal {
    /// Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    static let colour: Bool = {
        if let noColor = ProcessInfo.processInfo.environment["NO_COLOR"], !noColor.isEmpty { return false }
        return isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }()

    /// Whether stderr is a terminal (for progress bars).
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1

    enum Style: String {
        case red = "31"
        case green = "32"
        case yellow = "33"
        case dim = "2"
        case bold = "1"
    }

    /// `text` in `style` when colour is on.
    static func paint(_ text: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// The style for a file state.
    static func paintState(_ state: String) -> String {
        switch state {
        case "ok": paint(state, .green)
        case "error": paint(state, .red)
        default: paint(state, .yellow)
        }
    }
}

/// Buffered standard output: one `write(2)` per 64 KiB rather than per line.
final class Output {
    nonisolated(unsafe) static let standard = Output(fd: STDOUT_FILENO)
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func line(_ text: String) {
        write(text)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes {
                Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes a line to stderr at once.
func printError(_ text: String) {
    let line = Array((text + "\n").utf8)
    line.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
