/// One line of a decoded article with its normalised form, computed once and shared by
/// the boilerplate, title, date and fingerprint steps.
struct TextLine {
    /// Index into the decoded text's lines (0-based, split on LF).
    let index: Int
    /// The line as written.
    let raw: Substring
    /// The normalised line as UTF-8 (tokens separated by single spaces).
    let normalized: ArraySlice<UInt8>
    /// `Normalizer.lineKey` of the normalised line.
    let key: UInt64
    /// Tokens in the normalised line.
    let tokenCount: Int
    /// Scalars in the normalised line without its spaces (its share of the shingle stream).
    let streamScalars: Int
    /// Whether the raw line has no visible character (empty, spaces, NBSP, ZWNJ only).
    let isBlank: Bool

    /// Splits `text` on LF and normalises every line into one shared buffer.
    static func split(_ text: String, buffer: inout [UInt8]) -> [TextLine] {
        var ranges: [(Substring, Range<Int>, Bool)] = []
        // Split on the UTF-8 view: LF is ASCII, so every cut is a valid index, and no
        // grapheme breaking is needed (String.split on a Character would do it).
        var copy = text
        var pieces: [(Int, Int, Range<Int>)] = []
        copy.withUTF8 { bytes in
            var lineStart = 0
            var offset = 0
            while offset <= bytes.count {
                if offset == bytes.count || bytes[offset] == 0x0A {
                    let start = buffer.count
                    Normalizer.append(
                        utf8: UnsafeBufferPointer(rebasing: bytes[lineStart..<offset]), to: &buffer)
                    pieces.append((lineStart, offset, start..<buffer.count))
                    lineStart = offset + 1
                }
                offset += 1
            }
        }
        let utf8 = copy.utf8
        for (lineStart, lineEnd, range) in pieces {
            let lower = utf8.index(utf8.startIndex, offsetBy: lineStart)
            let upper = utf8.index(utf8.startIndex, offsetBy: lineEnd)
            let raw = copy[lower..<upper]
            ranges.append((raw, range, isBlankRaw(raw)))
        }
        var lines: [TextLine] = []
        lines.reserveCapacity(ranges.count)
        for (offset, (raw, range, blank)) in ranges.enumerated() {
            // Counted and hashed through a pointer: three passes over the array slice went
            // through its generic iterator (0.5% of a cold scan's CPU by itself).
            let (tokens, scalars, key) = buffer.withUnsafeBufferPointer { all in
                let bytes = UnsafeBufferPointer(rebasing: all[range])
                var tokens = bytes.isEmpty ? 0 : 1
                var scalars = 0
                for byte in bytes {
                    if byte == 0x20 {
                        tokens += 1
                    } else if byte & 0xC0 != 0x80 {
                        scalars += 1
                    }
                }
                return (tokens, scalars, StableHash.fnv1a64(bytes))
            }
            lines.append(
                TextLine(
                    index: offset, raw: raw, normalized: buffer[range], key: key,
                    tokenCount: tokens, streamScalars: scalars, isBlank: blank))
        }
        return lines
    }

    private static func isBlankRaw(_ raw: Substring) -> Bool {
        for scalar in raw.unicodeScalars {
            if scalar.value > 0x20 && scalar.value < 0x7F { return false }
            let properties = scalar.properties
            if properties.isWhitespace || properties.isDefaultIgnorableCodePoint { continue }
            return false
        }
        return true
    }

    /// FNV-1a hashes of the normalised tokens, in order.
    var tokenHashes: [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(tokenCount)
        var hash = StableHash.fnvOffset
        var inToken = false
        for byte in normalized {
            if byte == 0x20 {
                out.append(hash)
                hash = StableHash.fnvOffset
                inToken = false
                continue
            }
            hash = (hash ^ UInt64(byte)) &* StableHash.fnvPrime
            inToken = true
        }
        if inToken { out.append(hash) }
        return out
    }

    /// Iterates the normalised tokens as byte slices.
    func forEachToken(_ body: (ArraySlice<UInt8>) -> Void) {
        var start = normalized.startIndex
        var index = start
        while index < normalized.endIndex {
            if normalized[index] == 0x20 {
                body(normalized[start..<index])
                start = index + 1
            }
            index += 1
        }
        if start < normalized.endIndex { body(normalized[start..<normalized.endIndex]) }
    }
}
