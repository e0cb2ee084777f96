import Foundation

/// The per-scalar form of the normaliser's steps (`Normalizer.normalize` lists them) up to
/// the whitespace collapse, computed once per process.
///
/// Every step of the normaliser except the final whitespace collapse acts on one scalar
/// at a time once the text is decomposed: NFKC followed later by canonical decomposition
/// (step 5) is exactly NFKD, because NFD of two canonically equivalent strings is the
/// same. So instead of running Foundation's NFKC and NFD over every article (slow on
/// Linux), we run them once over all BMP scalars, each followed by a U+0001 separator
/// (a starter that neither composes nor reorders), and keep the result per scalar.
/// Scalars outside the BMP (emoji, math letters, rare scripts) take the slow path.
///
/// The table ships as data (`NormalizationTableData.swift`, written by `analysis-probe
/// normalization-table` from `measure()`, which a test holds it to): building it at start-up
/// ran Foundation's (ICU's) normalisation over 65,000 scalars, 5 MB of transient heap and
/// ICU code and data that then stayed resident in the daemon.
public struct NormalizationTable: Sendable, Equatable {
    /// Entry value meaning "delete this scalar".
    static let deleteMark: UInt32 = 0xFFFF_FFFF
    /// Entry value meaning "this scalar is a separator (space)".
    static let spaceMark: UInt32 = 0xFFFF_FFFE
    /// Flag bit of an entry that points into `expansions` (offset in bits 0-23, length in 24-30).
    static let expansionFlag: UInt32 = 0x8000_0000

    /// One entry per BMP code point: a scalar value, a mark, or an expansion reference.
    let entries: [UInt32]
    /// Multi-scalar results; 0x20 inside an expansion is a separator.
    let expansions: [UInt32]

    /// The shared table, decoded from the shipped data on first use (Swift's lazy global
    /// initialisation is thread-safe).
    static let shared = NormalizationTable(
        exceptions: normalizationTableExceptions, expansions: normalizationTableExpansions)

    init(entries: [UInt32], expansions: [UInt32]) {
        self.entries = entries
        self.expansions = expansions
    }

    /// The table computed with Foundation's normalisation, scalar by scalar: the source of the
    /// shipped data, and the tests' oracle for it.
    public static func measure() -> NormalizationTable {
        let separator: Unicode.Scalar = "\u{1}"
        var codes: [UInt32] = []
        codes.reserveCapacity(0x10000)
        // Scalars are gathered in arrays and made into a String once: appending to a
        // String scalar by scalar copies it again and again.
        var batch: [Unicode.Scalar] = []
        batch.reserveCapacity(0x20000)
        for value in UInt32(0)..<0x10000 where value != separator.value {
            guard let scalar = Unicode.Scalar(value) else { continue }
            codes.append(value)
            batch.append(scalar)
            batch.append(separator)
        }
        // Steps 2 and 5a: compatibility decomposition of every scalar at once.
        let decomposed = Self.split(
            Self.string(batch).decomposedStringWithCompatibilityMapping, by: separator)
        // Steps 3 and 4: delete default-ignorables and tatweel, lowercase; then decompose again,
        // because a lowercase mapping may produce a precomposed letter.
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(batch.count + 0x8000)
        for segment in decomposed {
            for scalar in segment where !Self.isIgnorable(scalar) {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
            lowered.append(separator)
        }
        let folded = Self.split(Self.string(lowered).decomposedStringWithCanonicalMapping, by: separator)
        precondition(folded.count == codes.count, "normalisation table: segment count mismatch")

        var entries = [UInt32](repeating: 0, count: 0x10000)
        var expansions: [UInt32] = []
        for (index, code) in codes.enumerated() {
            let mapped = Self.finish(folded[index])
            entries[Int(code)] = Self.encode(mapped, into: &expansions)
        }
        entries[Int(separator.value)] = Self.spaceMark  // U+0001 is a control: a separator.
        return NormalizationTable(entries: entries, expansions: expansions)
    }

    /// Decodes the shipped form: `exceptions` holds a record of 12 hex digits (4 for the
    /// scalar, 8 for its entry) for every BMP scalar whose entry is not the scalar itself,
    /// except the Hangul syllables, whose decompositions into jamo are computed
    /// (`hangulJamo`); `expansions` holds 8 hex digits per value; line breaks are ignored.
    init(exceptions: String, expansions: String) {
        var entries = (0..<UInt32(0x10000)).map { $0 }
        NormalizationTable.hexFields(of: exceptions, widths: [4, 8]) { record in
            entries[Int(record[0])] = record[1]
        }
        var values: [UInt32] = []
        NormalizationTable.hexFields(of: expansions, widths: [8]) { values.append($0[0]) }
        for syllable in NormalizationTable.hangulSyllables {
            entries[Int(syllable)] = NormalizationTable.encode(
                NormalizationTable.hangulJamo(syllable), into: &values)
        }
        self.init(entries: entries, expansions: values)
    }

    /// The Hangul syllables, U+AC00-U+D7A3: each decomposes into two or three jamo, by
    /// arithmetic (Unicode 3.12), which the normaliser's later steps leave alone.
    static let hangulSyllables = UInt32(0xAC00)...0xD7A3

    /// The jamo of a Hangul syllable (Unicode's algorithm: leading, vowel, optional trailing).
    static func hangulJamo(_ syllable: UInt32) -> [UInt32] {
        let index = syllable - hangulSyllables.lowerBound
        let leading = 0x1100 + index / 588
        let vowel = 0x1161 + (index % 588) / 28
        let trailing = index % 28
        return trailing == 0 ? [leading, vowel] : [leading, vowel, 0x11A7 + trailing]
    }

    /// What the table maps BMP scalar `code` to: its values (0x20 a separator), empty when
    /// it is deleted. Two tables are the same normaliser when this agrees for every scalar.
    func mapped(_ code: Int) -> [UInt32] {
        let entry = entries[code]
        switch entry {
        case NormalizationTable.deleteMark: return []
        case NormalizationTable.spaceMark: return [0x20]
        default:
            guard entry & NormalizationTable.expansionFlag != 0 else { return [entry] }
            let offset = Int(entry & 0xFF_FFFF)
            return Array(expansions[offset..<offset + Int((entry >> 24) & 0x7F)])
        }
    }

    /// The shipped form of this table (see `init(exceptions:expansions:)`) as unbroken hex
    /// digits; the generator lays them out in lines.
    public func encoded() -> (exceptions: String, expansions: String) {
        func hex(_ value: UInt32, _ width: Int) -> String {
            let digits = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var exceptions = ""
        var values: [UInt32] = []
        for code in 0..<entries.count where !NormalizationTable.hangulSyllables.contains(UInt32(code)) {
            let entry = NormalizationTable.encode(mapped(code), into: &values)
            if entry != UInt32(code) { exceptions += hex(UInt32(code), 4) + hex(entry, 8) }
        }
        return (exceptions, values.map { hex($0, 8) }.joined())
    }

    /// Calls `body` with each record of fixed-width hex fields in `text`, skipping line breaks.
    private static func hexFields(of text: String, widths: [Int], _ body: ([UInt32]) -> Void) {
        var fields: [UInt32] = []
        var field: UInt32 = 0
        var digits = 0
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case 0x30...0x39: value = UInt32(byte - 0x30)
            case 0x41...0x46: value = UInt32(byte - 0x41 + 10)
            default: continue
            }
            field = field << 4 | value
            digits += 1
            if digits == widths[fields.count] {
                fields.append(field)
                field = 0
                digits = 0
                if fields.count == widths.count {
                    body(fields)
                    fields.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    /// Steps 3 (part): default-ignorable code points and tatweel are deleted.
    static func isIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x0640 || scalar.properties.isDefaultIgnorableCodePoint
    }

    /// Steps 5b-9 on an already decomposed, lowercased sequence; 0x20 marks a separator.
    static func finish(_ scalars: [Unicode.Scalar]) -> [UInt32] {
        var out: [UInt32] = []
        for scalar in scalars {
            if isIgnorable(scalar) { continue }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format:
                // Marks (harakat, superscript alef, accents) go; so does any other format
                // character: none of them is visible text.
                continue
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation,
                .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
                .spaceSeparator, .lineSeparator, .paragraphSeparator, .control:
                out.append(0x20)
                continue
            default:
                break
            }
            if let fold = ArabicLetterFolding.table[scalar.value] {
                if case .replace(let replacement) = fold { out.append(replacement) }
                continue
            }
            if properties.numericType == .decimal, let value = properties.numericValue,
                value >= 0, value <= 9
            {
                out.append(0x30 + UInt32(value))
                continue
            }
            if properties.isWhitespace {
                out.append(0x20)
                continue
            }
            out.append(scalar.value)
        }
        return out
    }

    /// The full per-scalar pipeline through Foundation, for scalars outside the table.
    static func slowMap(_ scalar: Unicode.Scalar) -> [UInt32] {
        let properties = scalar.properties
        if isIgnorable(scalar) { return [] }
        if !properties.changesWhenNFKCCaseFolded {
            switch properties.generalCategory {
            case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol, .otherPunctuation:
                // Emoji and pictographs: no decomposition, always a separator.
                return [0x20]
            default:
                break
            }
        }
        var single = String.UnicodeScalarView()
        single.append(scalar)
        var lowered = String.UnicodeScalarView()
        for part in String(single).decomposedStringWithCompatibilityMapping.unicodeScalars
        where !isIgnorable(part) {
            lowered.append(contentsOf: part.properties.lowercaseMapping.unicodeScalars)
        }
        return finish(Array(String(lowered).decomposedStringWithCanonicalMapping.unicodeScalars))
    }

    private static func string(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func split(_ string: String, by separator: Unicode.Scalar) -> [[Unicode.Scalar]] {
        var segments: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in string.unicodeScalars {
            if scalar == separator {
                segments.append(current)
                current = []
            } else {
                current.append(scalar)
            }
        }
        return segments
    }

    static func encode(_ mapped: [UInt32], into expansions: inout [UInt32]) -> UInt32 {
        if mapped.isEmpty { return deleteMark }
        if mapped == [0x20] { return spaceMark }
        if mapped.count == 1 { return mapped[0] }
        let offset = UInt32(expansions.count)
        expansions.append(contentsOf: mapped)
        return expansionFlag | (UInt32(min(mapped.count, 127)) << 24) | offset
    }
}
