/// Whether a request line is JSON as RFC 8259 defines it, in UTF-8.
///
/// Foundation's `JSONDecoder` is lenient where the protocol is not: it accepts a trailing
/// comma (`{"method":"status",}`) and invalid UTF-8 inside a string it does not need, so such
/// lines would be served as if they were well formed. The server checks every line with this
/// first and answers `parse_error` otherwise. Containers are tracked on an explicit stack,
/// so nesting depth costs memory, not the thread's stack.
public enum StrictJSON {
    /// Nil when `bytes` is one JSON value (surrounded by optional white space) in valid
    /// UTF-8, else what is wrong.
    public static func violation(in bytes: [UInt8]) -> String? {
        if String(validating: bytes, as: UTF8.self) == nil { return "the line is not valid UTF-8" }
        var scanner = Scanner(bytes: bytes)
        return scanner.document()
    }

    private enum Container {
        case object
        case array
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            index += 1
            return true
        }

        /// One value, then only white space.
        mutating func document() -> String? {
            var stack: [Container] = []
            // Whether the next token must be a value (else: a separator or a container's end).
            var expectValue = true
            while true {
                skipSpace()
                if expectValue {
                    guard let byte = current else { return "the line ends where a value was expected" }
                    switch byte {
                    case UInt8(ascii: "{"):
                        index += 1
                        skipSpace()
                        if take(UInt8(ascii: "}")) {
                            expectValue = false
                        } else {
                            guard string() else { return "an object key must be a string (at byte \(index))" }
                            skipSpace()
                            guard take(UInt8(ascii: ":")) else { return "expected ':' at byte \(index)" }
                            stack.append(.object)
                            continue
                        }
                    case UInt8(ascii: "["):
                        index += 1
                        skipSpace()
                        if take(UInt8(ascii: "]")) {
                            expectValue = false
                        } else {
                            stack.append(.array)
                            continue
                        }
                    case UInt8(ascii: "\""):
                        guard string() else { return "a malformed string at byte \(index)" }
                        expectValue = false
                    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                        guard literal() else { return "an unknown word at byte \(index)" }
                        expectValue = false
                    default:
                        guard number() else { return "an unexpected character at byte \(index)" }
                        expectValue = false
                    }
                }
                // After a value: a separator, the end of its container, or the end of the line.
                skipSpace()
                guard let container = stack.last else {
                    return current == nil ? nil : "more after the value, at byte \(index)"
                }
                if take(UInt8(ascii: ",")) {
                    skipSpace()
                    if container == .object {
                        guard string() else { return "an object key must be a string (at byte \(index))" }
                        skipSpace()
                        guard take(UInt8(ascii: ":")) else { return "expected ':' at byte \(index)" }
                    }
                    expectValue = true
                } else if take(container == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    stack.removeLast()
                    expectValue = false
                } else {
                    return
                        "expected ',' or the end of the \(container == .object ? "object" : "array") at byte \(index)"
                }
            }
        }

        mutating func string() -> Bool {
            guard take(UInt8(ascii: "\"")) else { return false }
            while let byte = current {
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return true
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { return false }
                    index += 1
                    if escaped == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            guard let digit = current, digit.isHexDigit else { return false }
                            index += 1
                        }
                    } else if !Array("\"\\/bfnrt".utf8).contains(escaped) {
                        return false
                    }
                case 0..<0x20: return false
                default: continue
                }
            }
            return false
        }

        mutating func literal() -> Bool {
            for word in ["true", "false", "null"] {
                let utf8 = Array(word.utf8)
                if bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 {
                    index += utf8.count
                    return true
                }
            }
            return false
        }

        mutating func number() -> Bool {
            _ = take(UInt8(ascii: "-"))
            guard let first = current, first.isDigit else { return false }
            index += 1
            if first != UInt8(ascii: "0") { while current?.isDigit == true { index += 1 } }
            if take(UInt8(ascii: ".")) {
                guard current?.isDigit == true else { return false }
                while current?.isDigit == true { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard current?.isDigit == true else { return false }
                while current?.isDigit == true { index += 1 }
            }
            return true
        }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
