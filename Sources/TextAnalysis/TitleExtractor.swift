/// Where a title came from.
public enum TitleSource: String, Sendable, Equatable, Codable {
    /// A title line near the top of the text.
    case line
    /// No title line: the first sentence of the body stands in for it.
    case firstSentence
    /// No title at all (empty text).
    case none
}

/// Picks a title from the first lines of an article.
///
/// Among the lines before the body's first paragraph (at most the first eight non-blank
/// lines), the title is the first that is not chrome, not a date line and has 3-30 words
/// and does not end like a sentence (a Swahili lead paragraph of 20 words does). Failing
/// that, a one- or two-word first line standing alone above the body ("موجز أخبار"). Site
/// suffixes (`Title | Site`, `Title – Site`) are cut. Without a title line the first
/// sentence of the body is used, and `TitleSource.firstSentence` says so.
enum TitleExtractor {
    /// Non-blank lines looked at from the top.
    static let headLines = 8

    /// The chosen title, its source and the index of the title line (when a line).
    static func extract(
        _ lines: [TextLine], classes: [BoilerplateClassifier.LineClass], dateLines: Set<Int>, bodyStart: Int?
    ) -> (String?, TitleSource, Int?) {
        var candidates: [TextLine] = []
        for line in lines where !line.isBlank {
            if let bodyStart, line.index > bodyStart { break }
            candidates.append(line)
            if candidates.count >= headLines { break }
        }
        for line in candidates {
            if case .chrome = classes[line.index] { continue }
            if dateLines.contains(line.index) { continue }
            // The normalised token count bounds the title's (cleaning only removes words).
            guard line.tokenCount >= 3, line.tokenCount <= 40 else { continue }
            let title = cleaned(line.raw)
            let words = wordCount(title)
            if words >= 3, words <= 30, !endsWithFullStop(line.raw) {
                return (title, .line, line.index)
            }
        }
        // A short first line set apart by a blank line, above a body paragraph.
        if let first = lines.first(where: { !$0.isBlank }), !dateLines.contains(first.index),
            classes[first.index] != .good
        {
            if case .chrome = classes[first.index] {
            } else {
                let title = cleaned(first.raw)
                let words = wordCount(title)
                let next = first.index + 1
                if words >= 1, words <= 2, next < lines.count, lines[next].isBlank,
                    !endsWithFullStop(first.raw)
                {
                    return (title, .line, first.index)
                }
            }
        }
        return (nil, .none, nil)
    }

    /// Whether a line ends with a full stop (. or ۔, not an ellipsis): a sentence, not a
    /// headline. Headlines may end with ? or ! or "...".
    static func endsWithFullStop(_ raw: Substring) -> Bool {
        var previous: Unicode.Scalar?
        for scalar in raw.unicodeScalars.reversed() {
            if let last = previous {
                return scalar != "." && (last == "." || last == "\u{6D4}")
            }
            switch scalar {
            case " ", "\u{A0}", "\t", "\"", "'", "\u{201D}", "\u{2019}", "\u{BB}", ")": continue
            case ".", "\u{6D4}": previous = scalar
            default: return false
            }
        }
        return previous != nil
    }

    /// Leading bullets and dashes removed, whitespace trimmed, a site suffix cut.
    static func cleaned(_ raw: Substring) -> String {
        var text = raw.trimmingWhitespace()
        while let first = text.unicodeScalars.first,
            !first.properties.isAlphabetic, DateTokenizer.decimalValue(first) == nil,
            !"\"'«“‘(".unicodeScalars.contains(first)
        {
            text = Substring(text.unicodeScalars.dropFirst()).trimmingWhitespace()
        }
        return stripSiteSuffix(String(text))
    }

    /// `A | Site`, `A – Site`, `A - Site`, `A :: Site`: the part after the last separator
    /// goes when it is at most four words and the rest keeps at least three.
    static func stripSiteSuffix(_ title: String) -> String {
        let bytes = Array(title.utf8)
        for separator in [" | ", " \u{2013} ", " \u{2014} ", " - ", " :: ", " \u{2022} ", " \u{BB} "] {
            let pattern = Array(separator.utf8)
            guard let start = lastOccurrence(of: pattern, in: bytes) else { continue }
            let head = String(decoding: bytes[..<start], as: UTF8.self)
            let tail = String(decoding: bytes[(start + pattern.count)...], as: UTF8.self)
            if wordCount(tail) <= 4, wordCount(head) >= 3 {
                return String(Substring(head).trimmingWhitespace())
            }
        }
        return title
    }

    /// Byte offset of the last occurrence of `pattern` in `bytes`.
    private static func lastOccurrence(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var start = bytes.count - pattern.count
        while start >= 0 {
            if bytes[start] == pattern[0], bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
                return start
            }
            start -= 1
        }
        return nil
    }

    /// Words as the normaliser counts them.
    static func wordCount<S: StringProtocol>(_ text: S) -> Int {
        let normalized = Normalizer.normalize(String(text))
        if normalized.isEmpty { return 0 }
        return normalized.utf8.reduce(1) { $0 + ($1 == 0x20 ? 1 : 0) }
    }

    /// The first sentence of `raw`, at most 30 words: up to . ! ? ؟ ۔ followed by a space
    /// or a capital (Swahili sources often omit the space), skipping abbreviations
    /// (Bw., Dk., Mr.) and decimal points.
    static func firstSentence(_ raw: Substring) -> String? {
        let text = raw.trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        // Walked in place and only as far as the sentence goes: the line is often a whole
        // paragraph, and copying all of its scalars first would be 3% of a cold ingest's CPU.
        let scalars = text.unicodeScalars
        var words = 0
        var inWord = false
        var wordStart = scalars.startIndex
        var end = scalars.endIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let after = scalars.index(after: index)
            let isSpace = scalar.properties.isWhitespace
            if !isSpace && !inWord {
                words += 1
                wordStart = index
                if words > 30 {
                    end = index
                    break
                }
            }
            inWord = !isSpace
            if isTerminal(scalar) {
                let next = after < scalars.endIndex ? scalars[after] : nil
                let boundary: Bool
                if let next {
                    boundary = next.properties.isWhitespace || next.properties.isUppercase
                } else {
                    boundary = true
                }
                let word = scalars[wordStart..<index]
                let abbreviation =
                    scalar == "." && word.count <= 3 && (word.first?.properties.isUppercase ?? false)
                let decimal = scalar == "." && next.map { DateTokenizer.decimalValue($0) != nil } == true
                if boundary, !abbreviation, !decimal, words >= 3 {
                    end = after
                    break
                }
            }
            index = after
        }
        let sentence = Substring(scalars[scalars.startIndex..<end]).trimmingWhitespace()
        return sentence.isEmpty ? nil : String(sentence)
    }

    private static func isTerminal(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == "!" || scalar == "?" || scalar == "\u{61F}" || scalar == "\u{6D4}"
    }
}
