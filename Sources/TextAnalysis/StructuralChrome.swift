/// Chrome recognised by the shape of a line rather than by its words: lone URLs and
/// e-mail addresses, separators, captcha sums, lone times, © notices, number-only lines,
/// hashtag and share-button rows.
enum StructuralChrome {
    /// Words of share-button rows.
    static let shareWords: Set<String> = [
        "facebook", "twitter", "whatsapp", "telegram", "instagram", "linkedin", "youtube", "email",
        "print", "pinterest", "reddit", "share", "tweet", "x", "messenger", "viber", "copy", "link",
        "fb", "rss", "tumblr", "skype", "vk",
    ]

    /// Words that may stand beside a time on a lone-time line (am, pm, UTC, ت م...).
    static let timeWords: Set<String> = {
        var words: Set<String> = [
            "am", "pm", "a", "p", "m", "utc", "gmt", "ت", "ص", "ق", "ظ", "ب", "saa", "ساعت",
        ]
        words.formUnion(DateNames.timeLeads)
        return words
    }()

    /// The reason a line is structural chrome, or nil.
    static func reason(_ line: TextLine) -> String? {
        // Byte-level checks on the UTF-8 view: Character-level String operations would run
        // grapheme breaking over every line.
        let trimmed = line.raw.trimmingWhitespace()
        let bytes = trimmed.utf8
        if bytes.isEmpty { return nil }
        if line.tokenCount == 0 { return "separator" }
        if !bytes.contains(0x20) {
            if bytes.starts(with: "http://".utf8) || bytes.starts(with: "https://".utf8)
                || bytes.starts(with: "www.".utf8)
            {
                return "lone URL"
            }
            if bytes.contains(0x40), bytes.contains(0x2E), bytes.first != 0x40 { return "lone e-mail" }
        }
        if line.tokenCount <= 20, bytes.starts(with: [0xC2, 0xA9]) || containsCopyright(bytes) {
            return "copyright"
        }
        guard line.tokenCount <= 8 else { return nil }
        if isCaptcha(trimmed) { return "captcha" }
        var allDigits = true
        var allShare = true
        var allTime = true
        var allHashtags = true
        line.forEachToken { token in
            let isNumber = token.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            let word = String(decoding: token, as: UTF8.self)
            if !isNumber { allDigits = false }
            if !shareWords.contains(word) { allShare = false }
            if !isNumber && !timeWords.contains(word) { allTime = false }
        }
        var atWordStart = true
        for byte in bytes {
            if byte == 0x20 {
                atWordStart = true
                continue
            }
            if atWordStart && byte != 0x23 { allHashtags = false }
            atWordStart = false
        }
        if allTime, bytes.contains(0x3A) { return "lone time" }
        if allDigits { return "numbers only" }
        if allShare { return "share buttons" }
        if allHashtags { return "hashtags" }
        return nil
    }

    /// Whether the bytes hold © (U+00A9, C2 A9 in UTF-8).
    private static func containsCopyright(_ bytes: Substring.UTF8View) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == 0xC2 && byte == 0xA9 { return true }
            previous = byte
        }
        return false
    }

    /// "2 × 1 =", "3 + 4 = ?", "five + 2 =": a small sum with an equals sign and nothing else.
    static func isCaptcha(_ text: Substring) -> Bool {
        guard text.utf8.contains(0x3D) else { return false }
        var operators = 0
        var numbers = 0
        var other = 0
        var inNumber = false
        for scalar in text.unicodeScalars {
            if DateTokenizer.decimalValue(scalar) != nil {
                if !inNumber { numbers += 1 }
                inNumber = true
                continue
            }
            inNumber = false
            switch scalar {
            case "+", "-", "\u{D7}", "*", "x", "\u{F7}", "/", "\u{2212}": operators += 1
            case "=", "?", " ", "\u{A0}", "\t": break
            default:
                if scalar.properties.isAlphabetic { other += 1 }
            }
        }
        return operators >= 1 && numbers >= 1 && numbers <= 3 && other <= 12
    }
}

extension Substring {
    /// The substring without leading and trailing whitespace (including NBSP).
    func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return self[endIndex...] }
        return Substring(scalars[first...last])
    }
}
