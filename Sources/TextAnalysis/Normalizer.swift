/// The text normaliser for keys, shingles and search queries.
///
/// The output is never shown or stored as the article's text: it is lowercase, without
/// marks, punctuation or letter variants, with tokens separated by single spaces.
public enum Normalizer {
    /// Bump when any output of `normalize` changes: the catalogue recomputes keys then.
    public static let version: Int = 1

    /// The steps: NFKC, default-ignorables (ZWNJ, ZWJ, bidi controls, soft hyphen,
    /// variation selectors) and tatweel deleted, lowercase, marks dropped after canonical
    /// decomposition, the Arabic-script letter table, decimal digits of every script to
    /// ASCII, punctuation and symbols to spaces, whitespace collapsed and trimmed.
    public static func normalize(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        append(s.unicodeScalars, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Key of one normalised line, for corpus-level chrome evidence (FNV-1a 64 of its UTF-8).
    public static func lineKey(_ normalizedLine: String) -> UInt64 {
        StableHash.fnv1a64(normalizedLine)
    }

    /// Appends the normalised form of `scalars` to `out` as UTF-8, with no leading or
    /// trailing space of its own (a caller joining several pieces adds its own separator).
    static func append<S: Sequence>(_ scalars: S, to out: inout [UInt8]) where S.Element == Unicode.Scalar {
        var writer = Writer(start: out.count)
        let table = NormalizationTable.shared
        for scalar in scalars { map(scalar.value, table: table, writer: &writer, into: &out) }
    }

    /// Appends the normalised form of valid UTF-8 `bytes` to `out`, decoding the bytes
    /// directly (faster than walking a Substring's scalar view, which validates indices).
    static func append(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var writer = Writer(start: out.count)
        // Read once: a global's lazy-initialisation check on every scalar cost 1% of an ingest.
        let table = NormalizationTable.shared
        ScalarValues.forEach(utf8: bytes) { value in
            map(value, table: table, writer: &writer, into: &out)
            return true
        }
    }

    /// Maps one scalar value through the table (or the slow path) into the writer.
    @inline(__always)
    private static func map(
        _ value: UInt32, table: borrowing NormalizationTable, writer: inout Writer, into out: inout [UInt8]
    ) {
        do {
            if value < 0x80 {
                // ASCII: letters, digits and spaces are the common case; the table
                // still decides, so punctuation and controls become separators.
                writer.emit(table.entries[Int(value)], into: &out)
            } else if value < 0x10000 {
                let entry = table.entries[Int(value)]
                if entry & NormalizationTable.expansionFlag != 0 && entry < NormalizationTable.spaceMark {
                    let offset = Int(entry & 0x00FF_FFFF)
                    let length = Int((entry >> 24) & 0x7F)
                    for index in offset..<(offset + length) {
                        writer.emit(table.expansions[index], into: &out)
                    }
                } else {
                    writer.emit(entry, into: &out)
                }
            } else if let scalar = Unicode.Scalar(value) {
                for mapped in NormalizationTable.slowMap(scalar) {
                    writer.emit(mapped, into: &out)
                }
            }
        }
    }

    /// Writes mapped scalars as UTF-8, turning runs of separators into one space between tokens.
    private struct Writer {
        let start: Int
        var pendingSpace = false

        init(start: Int) {
            self.start = start
        }

        @inline(__always)
        mutating func emit(_ value: UInt32, into out: inout [UInt8]) {
            switch value {
            case NormalizationTable.deleteMark:
                return
            case NormalizationTable.spaceMark, 0x20:
                pendingSpace = out.count > start
                return
            default:
                break
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            if value < 0x80 {
                out.append(UInt8(value))
            } else if value < 0x800 {
                out.append(UInt8(0xC0 | (value >> 6)))
                out.append(UInt8(0x80 | (value & 0x3F)))
            } else if value < 0x10000 {
                out.append(UInt8(0xE0 | (value >> 12)))
                out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (value & 0x3F)))
            } else {
                out.append(UInt8(0xF0 | (value >> 18)))
                out.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
                out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (value & 0x3F)))
            }
        }
    }
}
