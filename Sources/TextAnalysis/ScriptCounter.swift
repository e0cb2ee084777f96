/// A writing system that holds letters, by its ISO 15924 code.
enum Script: Int, CaseIterable, Sendable {
    case latn
    case grek
    case cyrl
    case armn
    case hebr
    case arab
    case syrc
    case thaa
    case nkoo
    case deva
    case beng
    case guru
    case gujr
    case orya
    case taml
    case telu
    case knda
    case mlym
    case sinh
    case thai
    case laoo
    case tibt
    case mymr
    case geor
    case hang
    case ethi
    case cher
    case cans
    case khmr
    case mong
    case glag
    case tfng
    case hira
    case kana
    case bopo
    case hani
    case yiii
    case java
    case dsrt
    case adlm

    /// The ISO 15924 code ("Latn", "Arab", ...).
    var code: String {
        let name = String(describing: self)
        return name.prefix(1).uppercased() + name.dropFirst()
    }
}

/// Letter counts per writing system, the first step of language detection.
///
/// Swift exposes no Unicode Script property, so the blocks that hold letters are listed
/// here as ranges; digits and punctuation are not counted, only letters.
struct ScriptCounts: Sendable {
    /// Letters seen per script, indexed by `Script.rawValue`.
    var counts = [Int](repeating: 0, count: Script.allCases.count)
    /// All letters counted.
    var total = 0

    /// Letters of one script.
    subscript(script: Script) -> Int { counts[script.rawValue] }

    /// The ISO 15924 code of the script with the most letters, "Zyyy" when there are none.
    /// Han mixed with kana is Japanese ("Jpan"), Han or Hangul mixed with Hangul is "Kore".
    var dominantCode: String {
        guard total > 0, let best = dominant else { return "Zyyy" }
        let kana = self[.hira] + self[.kana]
        if best == .hani || best == .hira || best == .kana, kana * 10 >= total { return "Jpan" }
        if best == .hani || best == .hang, self[.hang] * 10 >= total { return "Kore" }
        return best.code
    }

    /// The script with the most letters (ties go to the earlier case), nil when none.
    var dominant: Script? {
        guard total > 0 else { return nil }
        var best = Script.latn
        for script in Script.allCases where self[script] > self[best] {
            best = script
        }
        return best
    }
}

/// Classifies scalars into scripts by block ranges.
enum ScriptCounter {
    /// (first, last, script) ranges of letter-bearing blocks, sorted by `first`.
    static let ranges: [(UInt32, UInt32, Script)] = [
        (0x00C0, 0x024F, .latn), (0x0250, 0x02AF, .latn),
        (0x0370, 0x03FF, .grek), (0x0400, 0x052F, .cyrl), (0x0531, 0x058F, .armn),
        (0x0591, 0x05FF, .hebr),
        (0x0620, 0x064A, .arab), (0x066E, 0x066F, .arab), (0x0671, 0x06D3, .arab),
        (0x06D5, 0x06D5, .arab), (0x06EE, 0x06EF, .arab), (0x06FA, 0x06FF, .arab),
        (0x0700, 0x074F, .syrc), (0x0750, 0x077F, .arab), (0x0780, 0x07BF, .thaa),
        (0x07C0, 0x07FF, .nkoo), (0x0860, 0x086F, .syrc), (0x0870, 0x08FF, .arab),
        (0x0900, 0x097F, .deva), (0x0980, 0x09FF, .beng), (0x0A00, 0x0A7F, .guru),
        (0x0A80, 0x0AFF, .gujr), (0x0B00, 0x0B7F, .orya), (0x0B80, 0x0BFF, .taml),
        (0x0C00, 0x0C7F, .telu), (0x0C80, 0x0CFF, .knda), (0x0D00, 0x0D7F, .mlym),
        (0x0D80, 0x0DFF, .sinh), (0x0E00, 0x0E7F, .thai), (0x0E80, 0x0EFF, .laoo),
        (0x0F00, 0x0FFF, .tibt), (0x1000, 0x109F, .mymr), (0x10A0, 0x10FF, .geor),
        (0x1100, 0x11FF, .hang), (0x1200, 0x139F, .ethi), (0x13A0, 0x13FF, .cher),
        (0x1400, 0x167F, .cans), (0x1780, 0x17FF, .khmr), (0x1800, 0x18AF, .mong),
        (0x1C90, 0x1CBF, .geor), (0x1D00, 0x1DBF, .latn), (0x1E00, 0x1EFF, .latn),
        (0x1F00, 0x1FFF, .grek), (0x2C00, 0x2C5F, .glag), (0x2C60, 0x2C7F, .latn),
        (0x2D00, 0x2D2F, .geor), (0x2D30, 0x2D7F, .tfng), (0x2D80, 0x2DDF, .ethi),
        (0x2DE0, 0x2DFF, .cyrl), (0x3040, 0x309F, .hira), (0x30A0, 0x30FF, .kana),
        (0x3100, 0x312F, .bopo), (0x3130, 0x318F, .hang), (0x31F0, 0x31FF, .kana),
        (0x3400, 0x4DBF, .hani), (0x4E00, 0x9FFF, .hani), (0xA000, 0xA4CF, .yiii),
        (0xA640, 0xA69F, .cyrl), (0xA720, 0xA7FF, .latn), (0xA980, 0xA9DF, .java),
        (0xAB30, 0xAB6F, .latn), (0xAC00, 0xD7AF, .hang), (0xF900, 0xFAFF, .hani),
        (0xFB00, 0xFB06, .latn), (0xFB1D, 0xFB4F, .hebr), (0xFB50, 0xFDFF, .arab),
        (0xFE70, 0xFEFC, .arab), (0xFF21, 0xFF3A, .latn), (0xFF41, 0xFF5A, .latn),
        (0xFF66, 0xFF9D, .kana), (0xFFA0, 0xFFDC, .hang),
        (0x10400, 0x1044F, .dsrt), (0x1E900, 0x1E95F, .adlm),
        (0x20000, 0x323AF, .hani),
    ]

    /// The script of one scalar, or nil for non-letters and unlisted blocks.
    @inline(__always)
    static func script(of value: UInt32) -> Script? {
        if value < 0x80 {
            let lower = value | 0x20
            return (lower >= 0x61 && lower <= 0x7A) ? .latn : nil
        }
        if value == 0x00D7 || value == 0x00F7 { return nil }  // × and ÷ sit among Latin letters.
        // The Arabic block is the common case in this corpus: skip the search.
        if value >= 0x0620 && value <= 0x064A { return .arab }
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = ranges[mid]
            if value < range.0 {
                high = mid - 1
            } else if value > range.1 {
                low = mid + 1
            } else {
                return range.2
            }
        }
        return nil
    }

    /// Counts letters by script over at most `limit` letters of `text`.
    static func count<S: StringProtocol>(_ text: S, limit: Int = 20_000) -> ScriptCounts {
        var result = ScriptCounts()
        ScalarValues.forEach(text) { value in
            guard let script = script(of: value) else { return true }
            result.counts[script.rawValue] += 1
            result.total += 1
            return result.total < limit
        }
        return result
    }
}
