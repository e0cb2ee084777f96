import Foundation
import Glibc
import Logging

/// Turns one log message into one line of text: `LEVEL message key=value key2=value2`.
///
/// Pure, so tests can check it without capturing stderr. The daemon's stderr handler (in `newsd`)
/// adds the line ending and writes it.
///
/// Two styles: under the journal the line starts with a `<N>` syslog priority, which journald
/// strips and records as the entry's priority (so `journalctl -p warning` works), and carries no
/// timestamp because the journal stamps every entry itself; anywhere else it starts with an
/// ISO 8601 UTC timestamp.
public struct LogLineFormatter: Sendable, Equatable {
    /// Where the line is going.
    public enum Style: Sendable, Equatable {
        /// systemd's journal: `<6>INFO message …`.
        case journal
        /// A terminal or a file: `2025-01-02T03:04:05.678Z INFO message …`.
        case timestamped
    }

    /// The style this formatter writes.
    public var style: Style

    /// A formatter writing `style`.
    public init(style: Style) {
        self.style = style
    }

    /// The line for one message, without its trailing newline. Metadata is sorted by key; a
    /// newline in the message or a value is written as `\n` so that one message stays one line.
    public func format(
        level: Logger.Level, message: String, metadata: Logger.Metadata = [:], date: Date = Date()
    ) -> String {
        var line: String
        switch style {
        case .journal: line = "<\(Self.syslogPriority(level))>"
        case .timestamped: line = Self.timestamp(date) + " "
        }
        line += Self.levelName(level)
        line += " "
        line += Self.escapeLineBreaks(message)
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " \(key)=\(Self.render(value))"
        }
        return line
    }

    /// The syslog priority journald records for `level` (RFC 5424 severities).
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// The upper-case level name that starts the message, e.g. `WARNING`.
    static func levelName(_ level: Logger.Level) -> String {
        level.rawValue.uppercased()
    }

    /// A metadata value as written after `key=`: bare when it is one plain word, otherwise in
    /// double quotes with `"` and `\` escaped, so the line can be split on spaces unambiguously.
    public static func render(_ value: Logger.MetadataValue) -> String {
        let text: String
        if case .string(let string) = value {
            text = string
        } else {
            text = value.description
        }
        let needsQuotes =
            text.isEmpty
            || text.unicodeScalars.contains { scalar in
                scalar == "\"" || scalar == "=" || scalar == "\\"
                    || CharacterSet.whitespacesAndNewlines.contains(scalar)
            }
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\r\n": quoted += "\\r\\n"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }

    /// `date` in ISO 8601, UTC, with milliseconds: `2025-01-02T03:04:05.678Z`. Built with
    /// `gmtime_r` rather than a shared Foundation formatter, which would need a lock per line.
    public static func timestamp(_ date: Date) -> String {
        // To the nearest millisecond: a Double holds 1735787045.678 as …677999, which truncation
        // would print as .677.
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(total.quotientAndRemainder(dividingBy: 1000).quotient)
        var milliseconds = total - Int64(seconds) * 1000
        if milliseconds < 0 {  // before 1970: the remainder must still count forwards
            seconds -= 1
            milliseconds += 1000
        }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
            + ".\(pad(Int32(milliseconds), 3))Z"
    }

    /// Line breaks inside a message would split it into several journal entries.
    private static func escapeLineBreaks(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\r\n": escaped += "\\r\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
