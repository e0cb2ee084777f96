/// A shell-style glob over path bytes: `*` and `?` stay within one path component, `**`
/// spans components, `[abc]`, `[a-z]` and `[!x]` are byte classes, `\` escapes.
///
/// Matching is on bytes so that names which are not valid UTF-8 can still be ignored.
struct Glob: Sendable, Equatable {
    private enum Token: Sendable, Equatable {
        case literal(UInt8)
        case any  // ?
        case star  // *
        case globstar  // ** (anything, across components)
        case globstarDirectories  // **/ (zero or more whole directories)
        case byteClass(negated: Bool, ranges: [ClosedRange<UInt8>])
    }

    private let tokens: [Token]

    /// Parses `pattern`. Malformed classes are treated literally, as shells do.
    init(_ pattern: String) {
        let bytes = Array(pattern.utf8)
        var tokens: [Token] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\\") where i + 1 < bytes.count:
                tokens.append(.literal(bytes[i + 1]))
                i += 2
                continue
            case UInt8(ascii: "?"):
                tokens.append(.any)
            case UInt8(ascii: "*"):
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") {
                    i += 2
                    if i < bytes.count, bytes[i] == UInt8(ascii: "/") {
                        tokens.append(.globstarDirectories)
                        i += 1
                    } else {
                        tokens.append(.globstar)
                    }
                    continue
                }
                tokens.append(.star)
            case UInt8(ascii: "["):
                if let (token, next) = Glob.parseClass(bytes, from: i) {
                    tokens.append(token)
                    i = next
                    continue
                }
                tokens.append(.literal(b))
            default:
                tokens.append(.literal(b))
            }
            i += 1
        }
        self.tokens = tokens
    }

    private static func parseClass(_ bytes: [UInt8], from start: Int) -> (Token, Int)? {
        var i = start + 1
        var negated = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "!") || bytes[i] == UInt8(ascii: "^") {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<UInt8>] = []
        var first = true
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "]") && !first {
                return (.byteClass(negated: negated, ranges: ranges), i + 1)
            }
            first = false
            if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "-"), bytes[i + 2] != UInt8(ascii: "]") {
                let low = min(b, bytes[i + 2])
                let high = max(b, bytes[i + 2])
                ranges.append(low...high)
                i += 3
            } else {
                ranges.append(b...b)
                i += 1
            }
        }
        return nil
    }

    /// True when the whole of `subject` matches.
    func matches(_ subject: [UInt8]) -> Bool {
        Glob.match(tokens[...], subject[...])
    }

    private static func match(_ pattern: ArraySlice<Token>, _ subject: ArraySlice<UInt8>) -> Bool {
        var p = pattern
        var s = subject
        while let token = p.first {
            switch token {
            case .literal(let b):
                guard s.first == b else { return false }
            case .any:
                guard let c = s.first, c != UInt8(ascii: "/") else { return false }
            case .byteClass(let negated, let ranges):
                guard let c = s.first, c != UInt8(ascii: "/") else { return false }
                if ranges.contains(where: { $0.contains(c) }) == negated { return false }
            case .star:
                let rest = p.dropFirst()
                var candidate = s
                while true {
                    if match(rest, candidate) { return true }
                    guard let c = candidate.first, c != UInt8(ascii: "/") else { return false }
                    candidate = candidate.dropFirst()
                }
            case .globstar:
                let rest = p.dropFirst()
                var candidate = s
                while true {
                    if match(rest, candidate) { return true }
                    guard !candidate.isEmpty else { return false }
                    candidate = candidate.dropFirst()
                }
            case .globstarDirectories:
                let rest = p.dropFirst()
                var candidate = s
                while true {
                    if match(rest, candidate) { return true }
                    guard let slash = candidate.firstIndex(of: UInt8(ascii: "/")) else { return false }
                    candidate = candidate[(slash + 1)...]
                }
            }
            p = p.dropFirst()
            s = s.dropFirst()
        }
        return s.isEmpty
    }
}
