/// A line left out of the fingerprinted body, with the reason, for auditing.
public struct BoilerplateLine: Sendable, Equatable, Codable {
    /// Index into the decoded text's lines (0-based, split on LF).
    public var line: Int
    /// Why the line is chrome ("pattern: navigation", "corpus chrome", "after body: bad"...).
    public var reason: String

    /// Creates an audit entry.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}

/// Line-level boilerplate detection in the manner of jusText, for plain text.
///
/// Three signals: lines the catalogue has seen across many clusters (`knownChrome`),
/// per-language patterns and line shapes (hard chrome, removed wherever they are), and a
/// classifier on length, stopword density and terminal punctuation, smoothed by the
/// neighbours (soft: it only decides where the body starts and ends). The body runs from
/// the first to the last good line; soft-bad lines inside it are kept, since a score table
/// or a list of names inside an article is still the article.
enum BoilerplateClassifier {
    /// The class of one line.
    enum LineClass: Equatable {
        case blank
        case chrome(String)
        case good
        case nearGood
        case short
        case bad
    }

    /// The verdict for a whole text.
    struct Verdict {
        /// One class per line (after context smoothing for soft classes).
        var classes: [LineClass]
        /// Indices of the first and last good line, nil when no line is good.
        var body: ClosedRange<Int>?
    }

    /// Stopword hash sets per language, of normalised words.
    static let stopwordSets: [String: HashedWordSet] = {
        var sets: [String: HashedWordSet] = [:]
        for (language, words) in LanguageWordLists.stopwords {
            sets[language] = HashedWordSet(words.map { StableHash.fnv1a64(Normalizer.normalize($0)) })
        }
        return sets
    }()
    static let emptySet = HashedWordSet([])
    static let latinStopwords = (stopwordSets["en"] ?? emptySet).union(stopwordSets["sw"] ?? emptySet)
    static let arabicStopwords = (stopwordSets["ar"] ?? emptySet).union(stopwordSets["fa"] ?? emptySet)

    /// Classifies `lines` of a text in `language` (the document's, or "und").
    static func classify(_ lines: [TextLine], language: String, knownChrome: Set<UInt64>) -> Verdict {
        let useDensity = ["ar", "fa", "en", "sw"].contains(language)
        var classes: [LineClass] = []
        classes.reserveCapacity(lines.count)
        for line in lines {
            if line.isBlank {
                classes.append(.blank)
                continue
            }
            let tokens = line.tokenHashes
            if let hard = hardClass(line, tokens: tokens, knownChrome: knownChrome) {
                classes.append(hard)
            } else {
                classes.append(useDensity ? softClass(line, tokens: tokens, language: language) : .good)
            }
        }
        smooth(&classes)
        let first = classes.firstIndex(of: .good)
        let last = classes.lastIndex(of: .good)
        var body: ClosedRange<Int>?
        if let first, let last { body = first...last }
        return Verdict(classes: classes, body: body)
    }

    /// Hard chrome, or nil.
    private static func hardClass(_ line: TextLine, tokens: [UInt64], knownChrome: Set<UInt64>) -> LineClass?
    {
        if let reason = StructuralChrome.reason(line) { return .chrome(reason) }
        if knownChrome.contains(line.key) { return .chrome("corpus chrome") }
        if let pattern = BoilerplatePatterns.match(line.normalized, key: line.key, tokens: tokens) {
            return .chrome("pattern: " + pattern.reason)
        }
        return nil
    }

    /// The jusText context-free class from length, stopword density and end punctuation.
    static func softClass(_ line: TextLine, tokens: [UInt64], language: String) -> LineClass {
        let stopwords = stopwordSet(for: line, documentLanguage: language)
        var hits = 0
        for token in tokens where stopwords.contains(token) { hits += 1 }
        let tokens = line.tokenCount
        let density = Double(hits) / Double(max(tokens, 1))
        let terminal = endsSentence(line.raw)
        // A paragraph of 30 words or more is article text whatever its stopword density
        // (lists of names, results, attendees); chrome that long is caught by patterns.
        if tokens >= 30 { return .good }
        if tokens >= 10 {
            if density >= 0.15 || (terminal && density >= 0.08) { return .good }
            return density >= 0.04 || terminal ? .nearGood : .bad
        }
        if tokens >= 4, terminal, density >= 0.15 { return .nearGood }
        return .short
    }

    /// jusText's context step: near-good lines next to a good line become good, short
    /// lines take the class of their neighbours when both agree on good, the rest are bad.
    private static func smooth(_ classes: inout [LineClass]) {
        let original = classes
        func neighbour(_ i: Int, step: Int) -> LineClass? {
            var j = i + step
            while j >= 0, j < original.count {
                switch original[j] {
                case .blank, .short: j += step
                case .chrome: return .bad
                default: return original[j]
                }
            }
            return nil
        }
        for i in classes.indices {
            switch original[i] {
            case .nearGood:
                classes[i] =
                    (neighbour(i, step: -1) == .good || neighbour(i, step: 1) == .good) ? .good : .bad
            case .short:
                let before = neighbour(i, step: -1)
                let after = neighbour(i, step: 1)
                classes[i] = (isGoodish(before) && isGoodish(after)) ? .good : .short
            default:
                break
            }
        }
    }

    private static func isGoodish(_ value: LineClass?) -> Bool {
        value == .good || value == .nearGood
    }

    private static func stopwordSet(for line: TextLine, documentLanguage: String) -> HashedWordSet {
        // The line's own script decides which lists apply: chrome is often in another
        // language than the article. The first bytes of its first tokens tell the script.
        var latin = 0
        var arabic = 0
        var atTokenStart = true
        var seen = 0
        for byte in line.normalized {
            if byte == 0x20 {
                atTokenStart = true
                continue
            }
            if atTokenStart {
                if byte >= 0x61 && byte <= 0x7A {
                    latin += 1
                } else if byte >= 0xD8 && byte <= 0xDB {
                    arabic += 1
                }
                seen += 1
                if seen >= 8 { break }
            }
            atTokenStart = false
        }
        if arabic > latin {
            if documentLanguage == "ar" || documentLanguage == "fa" {
                return stopwordSets[documentLanguage] ?? arabicStopwords
            }
            return arabicStopwords
        }
        if documentLanguage == "en" || documentLanguage == "sw" {
            return stopwordSets[documentLanguage] ?? latinStopwords
        }
        return latinStopwords
    }

    /// Whether the raw line ends like a sentence (. ! ? ؟ ۔ … or a closing quote after one).
    static func endsSentence(_ raw: Substring) -> Bool {
        for scalar in raw.unicodeScalars.reversed() {
            switch scalar {
            case " ", "\u{A0}", "\t", "\"", "'", "\u{201D}", "\u{2019}", "\u{BB}", ")", "*": continue
            case ".", "!", "?", "\u{61F}", "\u{6D4}", "\u{2026}", "\u{3002}": return true
            default: return false
            }
        }
        return false
    }
}
