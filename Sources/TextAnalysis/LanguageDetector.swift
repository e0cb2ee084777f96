import Foundation

/// A language decision for one text.
public struct LanguageGuess: Sendable, Equatable {
    /// ISO 639-1 code ("ar", "fa", "sw", "en") or "und".
    public var language: String
    /// 0...1; 0 for "und" from lack of text.
    public var confidence: Double
    /// ISO 15924 code of the dominant script, "Zyyy" when there are no letters.
    public var script: String
}

/// Language identification for the catalogue languages, on un-normalised text.
///
/// Letters are counted by script first. Arabic script is then decided between Arabic and
/// Persian from the letters only Persian writes (پ چ ژ گ), ی/ک against ي/ك/ى/ة (weaker
/// evidence: some Persian sites type Arabic letters) and function words; Latin script
/// between English and Swahili from function words and word shapes (Swahili words end in
/// vowels and start with clusters such as mw-, ny-, nch-). Any other script, or a text
/// that fits neither language, is "und" with the script still reported.
public enum LanguageDetector {
    /// Fewer letters than this give "und".
    static let minimumLetters = 4
    /// Below this confidence the answer is "und".
    static let minimumConfidence = 0.6

    /// Detects the language of `text`, reading at most about 3,000 letters of it
    /// (articles are decided long before that; the cap keeps the cost per file fixed).
    public static func detect<S: StringProtocol>(_ text: S) -> LanguageGuess {
        let counts = ScriptCounter.count(text, limit: 3000)
        let scriptCode = counts.dominantCode
        guard counts.total >= minimumLetters, let dominant = counts.dominant else {
            return LanguageGuess(language: "und", confidence: 0, script: scriptCode)
        }
        // A script must carry most of the letters to speak for the text.
        let share = Double(counts[dominant]) / Double(counts.total)
        let guess: LanguageGuess
        switch dominant {
        case .arab:
            guess = ArabicScriptScorer.score(text).guess(script: scriptCode)
        case .latn:
            guess = LatinScriptScorer.score(text).guess(script: scriptCode)
        default:
            return LanguageGuess(language: "und", confidence: share, script: scriptCode)
        }
        var adjusted = guess
        adjusted.confidence *= min(1, share / 0.8)
        if adjusted.confidence < minimumConfidence {
            adjusted.language = "und"
        }
        return adjusted
    }

    /// The logistic map from a score difference to a confidence in 0.5...1.
    static func confidence(margin: Double, scale: Double) -> Double {
        let x = abs(margin) * scale
        return 1 / (1 + exp(-x))
    }
}
