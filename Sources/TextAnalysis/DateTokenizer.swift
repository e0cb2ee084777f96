/// One token of a line as the date parser reads it.
struct DateToken: Equatable {
    enum Kind: Equatable {
        /// A run of decimal digits of any script: value and digit count.
        case number(Int, Int)
        /// A run of letters, normalised (lowercase, Arabic letters folded, marks dropped).
        case word(String)
        /// One of : / - . , + (Arabic comma and dashes folded to these).
        case punct(String)
    }

    let kind: Kind
}

/// Splits a line into numbers, words and date punctuation.
enum DateTokenizer {
    static func tokenize<S: StringProtocol>(_ line: S) -> [DateToken] {
        var tokens: [DateToken] = []
        var digits = 0
        var value = 0
        var word = String.UnicodeScalarView()

        func flushNumber() {
            if digits > 0 {
                tokens.append(DateToken(kind: .number(digits > 9 ? Int.max : value, digits)))
            }
            digits = 0
            value = 0
        }
        func flushWord() {
            if !word.isEmpty {
                let normalized = Normalizer.normalize(String(word))
                if !normalized.isEmpty { tokens.append(DateToken(kind: .word(normalized))) }
            }
            word = String.UnicodeScalarView()
        }

        for scalar in line.unicodeScalars {
            if let digit = decimalValue(scalar) {
                flushWord()
                if digits < 10 { value = value * 10 + digit }
                digits += 1
                continue
            }
            let v = scalar.value
            // Joiners, marks and tatweel continue a word: ربیع‌الاول, هـ, dates with harakat.
            if v == 0x200C || v == 0x200D || v == 0x0640
                || scalar.properties.generalCategory == .nonspacingMark
            {
                continue
            }
            if isLetter(scalar) {
                flushNumber()
                word.append(scalar)
                continue
            }
            flushNumber()
            flushWord()
            switch v {
            case 0x3A: tokens.append(DateToken(kind: .punct(":")))
            case 0x2F, 0x2044: tokens.append(DateToken(kind: .punct("/")))
            case 0x2D, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212:
                tokens.append(DateToken(kind: .punct("-")))
            case 0x2E, 0x06D4: tokens.append(DateToken(kind: .punct(".")))
            case 0x2C, 0x060C: tokens.append(DateToken(kind: .punct(",")))
            case 0x2B: tokens.append(DateToken(kind: .punct("+")))
            default: break
            }
        }
        flushNumber()
        flushWord()
        return tokens
    }

    @inline(__always)
    static func decimalValue(_ scalar: Unicode.Scalar) -> Int? {
        let v = scalar.value
        if v >= 0x30 && v <= 0x39 { return Int(v - 0x30) }
        if v < 0x80 { return nil }
        if v >= 0x0660 && v <= 0x0669 { return Int(v - 0x0660) }
        if v >= 0x06F0 && v <= 0x06F9 { return Int(v - 0x06F0) }
        // Latin, Greek, Cyrillic, Hebrew and the rest of Arabic hold no other digits:
        // skip the property lookup for the common letters.
        if v < 0x07C0 { return nil }
        let properties = scalar.properties
        guard properties.numericType == .decimal, let number = properties.numericValue else { return nil }
        return Int(number)
    }

    @inline(__always)
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
        return scalar.properties.isAlphabetic
    }
}
