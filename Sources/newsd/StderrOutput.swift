import Glibc
import Synchronization

/// newsd's stderr: log lines, and on a terminal a progress line kept beneath them.
///
/// Everything goes through one lock. A long log line can take several `write(2)` calls (a
/// pipe is only atomic up to `PIPE_BUF`, a stream socket may return early) and two must never
/// interleave; and a log line written while a progress line is shown erases it first and draws
/// it again after, so that neither garbles the other.
enum StderrOutput {
    /// The progress line on the terminal now, as drawn (empty when none is).
    private static let shown = Mutex("")

    /// Writes `text` (whole lines), beneath nothing or above the progress line.
    static func log(_ text: String) {
        shown.withLock { line in
            write(line.isEmpty ? text : erasure(line) + text + line)
        }
    }

    /// Draws `text` as the progress line in place of the one shown, cut to the terminal's
    /// width (a line that wrapped could not be drawn over again).
    static func show(_ text: String) {
        var text = text
        if let columns = terminalColumns(), text.count >= columns { text = String(text.prefix(columns - 1)) }
        shown.withLock { line in
            guard text != line else { return }
            write("\r" + text + String(repeating: " ", count: max(0, line.count - text.count)))
            line = text
        }
    }

    /// Erases the progress line, if one is shown.
    static func clear() {
        shown.withLock { line in
            guard !line.isEmpty else { return }
            write(erasure(line))
            line = ""
        }
    }

    /// What blanks `line` and leaves the cursor at the start of it. Spaces rather than an
    /// escape sequence: every terminal understands them.
    private static func erasure(_ line: String) -> String {
        "\r" + String(repeating: " ", count: line.count) + "\r"
    }

    /// The terminal's width, when stderr is one that says.
    private static func terminalColumns() -> Int? {
        var size = winsize()
        let result = withUnsafeMutablePointer(to: &size) { ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), $0) }
        return result == 0 && size.ws_col > 1 ? Int(size.ws_col) : nil
    }

    /// Writes all of `text` to stderr, retrying after a signal or a short write.
    private static func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(
                    STDERR_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // stderr is gone (closed, or EPIPE): nowhere left to report it.
                }
            }
        }
    }
}
