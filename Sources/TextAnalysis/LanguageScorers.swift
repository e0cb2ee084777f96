/// Token folding and hashing shared by the two language scorers.
enum LanguageTokens {
    /// Folds a word the way the scorers read text: Latin lowercased; Arabic-script ی ى → ي
    /// and ک → ك (the letter variants are counted separately, as evidence, so the word
    /// lists must not depend on them), harakat and tatweel dropped.
    static func hash(_ word: String) -> UInt64 {
        var builder = TokenBuilder()
        for scalar in word.unicodeScalars where !TokenBuilder.isArabicMark(scalar.value) {
            builder.add(scalar.value)
        }
        return builder.hash
    }

    /// A set of folded word hashes.
    static func hashSet(_ words: [String]) -> HashedWordSet {
        HashedWordSet(words.map(hash))
    }
}

/// Accumulates one folded token's FNV-1a hash scalar by scalar.
struct TokenBuilder {
    var hash = StableHash.fnvOffset
    var length = 0

    /// Whether a scalar is an Arabic-script mark or tatweel, skipped inside tokens.
    @inline(__always)
    static func isArabicMark(_ value: UInt32) -> Bool {
        (value >= 0x064B && value <= 0x065F) || value == 0x0670 || value == 0x0640
    }

    /// Folds and appends a letter; returns false for a scalar that is not a token letter.
    @discardableResult
    @inline(__always)
    mutating func add(_ value: UInt32) -> Bool {
        var folded = value
        switch value {
        case 0x41...0x5A: folded = value | 0x20
        case 0x61...0x7A: break
        case 0x06CC, 0x0649: folded = 0x064A
        case 0x06A9: folded = 0x0643
        default:
            if value < 0xC0 { return false }
            guard ScriptCounter.script(of: value) != nil else { return false }
        }
        // FNV-1a over the UTF-8 bytes, so list words and text tokens hash alike.
        if folded < 0x80 {
            mix(UInt8(folded))
        } else if folded < 0x800 {
            mix(UInt8(0xC0 | (folded >> 6)))
            mix(UInt8(0x80 | (folded & 0x3F)))
        } else if folded < 0x10000 {
            mix(UInt8(0xE0 | (folded >> 12)))
            mix(UInt8(0x80 | ((folded >> 6) & 0x3F)))
            mix(UInt8(0x80 | (folded & 0x3F)))
        } else {
            mix(UInt8(0xF0 | (folded >> 18)))
            mix(UInt8(0x80 | ((folded >> 12) & 0x3F)))
            mix(UInt8(0x80 | ((folded >> 6) & 0x3F)))
            mix(UInt8(0x80 | (folded & 0x3F)))
        }
        length += 1
        return true
    }

    @inline(__always)
    private mutating func mix(_ byte: UInt8) {
        hash ^= UInt64(byte)
        hash = hash &* StableHash.fnvPrime
    }
}

/// Evidence for Arabic against Persian in Arabic-script text.
struct ArabicScriptScorer {
    /// پ چ ژ گ: letters only Persian (among the two) writes.
    var persianLetters = 0
    /// ی ک: Persian code points for yeh and kaf.
    var persianYehKaf = 0
    /// ي ك ى: Arabic code points for yeh, kaf and alef maksura.
    var arabicYehKaf = 0
    /// ة: teh marbuta, almost only Arabic.
    var tehMarbuta = 0
    /// ى أ إ ؤ: alef maksura and hamza seats, which Persian spelling rarely uses.
    var arabicSpelling = 0
    /// ZWNJ inside Arabic-script text: Persian spelling (می‌شود), never Arabic.
    var zeroWidthNonJoiners = 0
    /// Tokens starting with the article ال (four letters or more).
    var articleWords = 0
    /// Letters of Urdu, Pashto, Kurdish, Sindhi or Uyghur that neither language writes.
    var otherLanguageLetters = 0
    /// Arabic-script letters seen.
    var letters = 0
    /// Tokens that are Persian or Arabic function words.
    var persianWords = 0
    var arabicWords = 0
    /// Tokens seen.
    var tokens = 0

    static let persianSet = LanguageTokens.hashSet(LanguageWordLists.persianFunctionWords)
    static let arabicSet = LanguageTokens.hashSet(LanguageWordLists.arabicFunctionWords)
    /// Letters of other Arabic-script languages: ٹ ڈ ڑ ں ے ھ ہ ۃ (Urdu), ټ ډ ړ ږ ښ ګ ځ څ ۍ
    /// ې ڼ (Pashto), ڵ ڕ ۆ ێ ە (Kurdish), ۇ ۈ ۋ (Uyghur), ڄ ڃ ڇ ڊ ڌ ڍ ڎ ڏ ڙ ڦ ڳ ڻ (Sindhi).
    static let otherLetters: Set<UInt32> = [
        0x0679, 0x0688, 0x0691, 0x06BA, 0x06D2, 0x06BE, 0x06C1, 0x06C3,
        0x067C, 0x0689, 0x0693, 0x0696, 0x069A, 0x06AB, 0x0681, 0x0685, 0x06CD, 0x06D0, 0x06BC,
        0x06B5, 0x0695, 0x06C6, 0x06CE, 0x06D5, 0x06C7, 0x06C8, 0x06CB,
        0x0684, 0x0683, 0x0687, 0x068A, 0x068C, 0x068D, 0x068E, 0x068F, 0x0699, 0x06A6, 0x06B3, 0x06BB,
    ]

    /// Scores at most about 600 tokens of `text`.
    static func score<S: StringProtocol>(_ text: S) -> ArabicScriptScorer {
        var scorer = ArabicScriptScorer()
        var token = TokenBuilder()
        var prefix: (UInt32, UInt32, UInt32) = (0, 0, 0)
        ScalarValues.forEach(text) { value in
            if TokenBuilder.isArabicMark(value) { return true }
            switch value {
            case 0x067E, 0x0686, 0x0698, 0x06AF: scorer.persianLetters += 1
            case 0x06CC, 0x06A9: scorer.persianYehKaf += 1
            case 0x064A, 0x0643: scorer.arabicYehKaf += 1
            case 0x0629: scorer.tehMarbuta += 1
            case 0x0649, 0x0623, 0x0625, 0x0624: scorer.arabicSpelling += 1
            case 0x200C: scorer.zeroWidthNonJoiners += 1
            default:
                if value >= 0x0679, value <= 0x06D5, otherLetters.contains(value) {
                    scorer.otherLanguageLetters += 1
                }
            }
            if value >= 0x0620, value <= 0x06FF { scorer.letters += 1 }
            let start = token.length == 0
            if token.add(value) {
                if start {
                    prefix = (value, 0, 0)
                } else if token.length == 2 {
                    prefix.1 = value
                } else if token.length == 3 {
                    prefix.2 = value
                }
            } else {
                scorer.finish(&token, startsWithArticle: startsWithArticle(prefix))
                if scorer.tokens >= 600 { return false }
            }
            return true
        }
        scorer.finish(&token, startsWithArticle: startsWithArticle(prefix))
        return scorer
    }

    /// ال, or ال behind a one-letter proclitic (بال وال فال كال) or لل: Arabic's article.
    private static func startsWithArticle(_ prefix: (UInt32, UInt32, UInt32)) -> Bool {
        if prefix.0 == 0x0627 && prefix.1 == 0x0644 { return true }
        if prefix.0 == 0x0644 && prefix.1 == 0x0644 { return true }
        let proclitic = prefix.0 == 0x0628 || prefix.0 == 0x0648 || prefix.0 == 0x0641 || prefix.0 == 0x0643
        return proclitic && prefix.1 == 0x0627 && prefix.2 == 0x0644
    }

    private mutating func finish(_ token: inout TokenBuilder, startsWithArticle: Bool) {
        guard token.length > 0 else { return }
        tokens += 1
        if startsWithArticle && token.length >= 5 { articleWords += 1 }
        if Self.persianSet.contains(token.hash) { persianWords += 1 }
        if Self.arabicSet.contains(token.hash) { arabicWords += 1 }
        token = TokenBuilder()
    }

    /// Positive for Persian, negative for Arabic. ي and ك count for nothing: older
    /// Persian sites type them for ی and ک, so only the Persian forms are evidence.
    var margin: Double {
        let persian =
            3 * Double(persianWords) + 3 * Double(persianLetters) + 1.5 * Double(persianYehKaf)
            + 2 * Double(zeroWidthNonJoiners)
        let arabic =
            3 * Double(arabicWords) + 3 * Double(tehMarbuta) + 1.5 * Double(arabicSpelling)
            + 1.5 * Double(articleWords)
        return persian - arabic
    }

    /// The decision: Urdu, Pashto and the like are "und", otherwise the sign of `margin`.
    func guess(script: String) -> LanguageGuess {
        if otherLanguageLetters >= 2, Double(otherLanguageLetters) >= 0.01 * Double(max(letters, 1)) {
            return LanguageGuess(language: "und", confidence: 0, script: script)
        }
        let margin = margin
        if margin == 0 {
            return LanguageGuess(language: "und", confidence: 0.5, script: script)
        }
        return LanguageGuess(
            language: margin > 0 ? "fa" : "ar",
            confidence: LanguageDetector.confidence(margin: margin, scale: 0.5),
            script: script)
    }
}

/// Evidence for Swahili against English in Latin-script text.
struct LatinScriptScorer {
    /// Positive for Swahili, negative for English.
    var margin = 0.0
    var englishWords = 0
    var swahiliWords = 0
    var tokens = 0
    /// Latin letters outside ASCII (é, ü, ñ...), rare in both languages.
    var accentedLetters = 0
    var asciiLetters = 0

    static let englishSet = LanguageTokens.hashSet(LanguageWordLists.englishFunctionWords)
    static let swahiliSet = LanguageTokens.hashSet(LanguageWordLists.swahiliFunctionWords)

    /// Scores at most about 400 tokens of `text`.
    static func score<S: StringProtocol>(_ text: S) -> LatinScriptScorer {
        var scorer = LatinScriptScorer()
        var word = WordShape()
        ScalarValues.forEach(text) { value in
            if value < 0x80 {
                let lower = value | 0x20
                if lower >= 0x61 && lower <= 0x7A {
                    scorer.asciiLetters += 1
                    word.add(value)
                    return true
                }
            } else if ScriptCounter.script(of: value) == .latn {
                scorer.accentedLetters += 1
                word.add(value)
                return true
            }
            scorer.finish(&word)
            return scorer.tokens < 400
        }
        scorer.finish(&word)
        return scorer
    }

    private mutating func finish(_ word: inout WordShape) {
        guard word.token.length > 0 else { return }
        let isFirst = tokens == 0
        tokens += 1
        defer { word = WordShape() }
        if Self.swahiliSet.contains(word.token.hash) {
            swahiliWords += 1
            margin += 3
            return
        }
        if Self.englishSet.contains(word.token.hash) {
            englishWords += 1
            margin -= 3
            return
        }
        // Word shapes, weighted by log-likelihood ratios measured on the corpus (lowercase
        // words of 3+ letters): a final vowel in 99.7% of Swahili words and 22.8% of
        // English ones; a consonant pair Swahili does not write (anything but a nasal
        // before a stop, or a consonant before w/y/h) in 3.1% and 44.2%. Capitalised words
        // are mostly names and count for less.
        guard word.token.length >= 3 else { return }
        var score = word.endsInVowel ? 1.47 : -3.0
        score += word.hasForeignCluster ? -2.66 : 0.55
        if word.hasQX { score -= 1 }
        margin += (isFirst || !word.capitalised) ? score : 0.3 * score
    }

    /// The decision: a text of 15 words or more with few function words of either
    /// language (English and Swahili sentences are full of them) is "und".
    func guess(script: String) -> LanguageGuess {
        if tokens >= 15 {
            let rate = Double(englishWords + swahiliWords) / Double(tokens)
            let accented = Double(accentedLetters) / Double(max(1, accentedLetters + asciiLetters))
            if rate < 0.10 || accented > 0.05 {
                return LanguageGuess(language: "und", confidence: 0, script: script)
            }
        }
        if margin == 0 {
            return LanguageGuess(language: "und", confidence: 0.5, script: script)
        }
        return LanguageGuess(
            language: margin > 0 ? "sw" : "en",
            confidence: LanguageDetector.confidence(margin: margin, scale: 0.4),
            script: script)
    }
}

/// The shape of one Latin word as the Swahili/English scorer reads it.
struct WordShape {
    var token = TokenBuilder()
    var capitalised = false
    var endsInVowel = false
    /// A consonant pair that Swahili spelling does not produce (see `isSwahiliPair`).
    var hasForeignCluster = false
    var hasQX = false
    private var previous: UInt32 = 0

    /// Appends one Latin letter.
    mutating func add(_ value: UInt32) {
        let lower = value < 0x80 ? value | 0x20 : value
        if token.length == 0 {
            capitalised = value >= 0x41 && value <= 0x5A
        } else if lower < 0x80, previous < 0x80, !Self.isVowel(previous), !Self.isVowel(lower),
            !Self.isSwahiliPair(previous, lower)
        {
            hasForeignCluster = true
        }
        if lower == 0x71 || lower == 0x78 { hasQX = true }
        endsInVowel = Self.isVowel(lower)
        previous = lower
        token.add(value)
    }

    @inline(__always)
    static func isVowel(_ c: UInt32) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75
    }

    /// Consonant pairs of Swahili spelling: a consonant before w, y or h (mw, ny, ch, sh,
    /// th, dh, gh), a nasal before a stop or fricative (mb, nd, ng, nj, nz, nch, mv), mm, nn.
    @inline(__always)
    static func isSwahiliPair(_ first: UInt32, _ second: UInt32) -> Bool {
        if second == 0x77 || second == 0x79 || second == 0x68 { return true }  // w y h
        if first == 0x6D || first == 0x6E {  // m n
            switch second {
            case 0x62, 0x64, 0x67, 0x6A, 0x7A, 0x76, 0x6B, 0x74, 0x63, 0x73, 0x66, 0x6D, 0x6E: return true
            default: return false
            }
        }
        return false
    }
}
