import Foundation

/// Result of analysing one decoded article. Everything the catalogue stores about a
/// text besides its bytes and their SHA-256.
public struct ArticleAnalysis: Sendable, Equatable, Codable {
    /// `Normalizer.version` used; recompute when it changes.
    var normalizationVersion: Int
    /// Hex SHA-256 of the normalised text (all lines, title included, tokens joined by
    /// single spaces): the "normalised duplicate" key. Chrome is not removed first, so
    /// the key does not move when the corpus-level chrome evidence changes.
    public var normalizedHash: String
    /// ISO 639-1 ("ar", "fa", "sw", "en") or "und" when unsure or another language.
    public var language: String
    /// 0...1.
    public var languageConfidence: Double
    /// ISO 15924 code of the dominant script ("Arab", "Latn", "Cyrl", "Hani"...), "Zyyy" if none.
    public var script: String
    /// The title in its original script, not normalised.
    public var title: String?
    /// Where the title came from.
    public var titleSource: TitleSource
    /// Index of the title line when `titleSource == .line`.
    public var titleLine: Int?
    /// Publication instant (UTC), nil if none found; never before 1990 or after `now`.
    public var published: Date?
    /// Lines left out of the fingerprint, with reasons, for auditing.
    public var boilerplate: [BoilerplateLine]
    /// Lines of the fingerprinted body, first and last (0-based), nil for an empty text.
    public var bodyLines: ClosedRange<Int>?
    /// Sorted, unique FNV-1a 64 hashes of the char 9-gram shingles of the chrome-free
    /// normalised body (the title line excluded), computed from `fingerprintText` when asked
    /// for: the analysis itself needs them unsorted (MinHash takes the minimum anyway), and
    /// the catalogue recomputes them only for candidate pairs.
    public var shingles: [UInt64] { Shingler.shingles(ofNormalized: fingerprintText) }
    /// 128 MinHash values (datasketch affine64), empty when the body has fewer than
    /// `MinHasher.minimumShingles` shingles.
    public var minhash: [UInt64]
    /// The number of distinct shingles (`shingles.count`), counted without keeping them; nil
    /// for a text of more than `Shingler.countedWindows` windows.
    public var shingleCount: Int?
    /// The title line, normalised (empty when the title did not come from a line).
    var normalizedTitleLine: String
    /// Normalised chrome-free text: the title line and the body, joined by a space. Derived,
    /// because the catalogue indexes the title and the body apart (`ContentAnalysis`).
    var searchText: String {
        [normalizedTitleLine, fingerprintText].filter { !$0.isEmpty }.joined(separator: " ")
    }
    /// The normalised chrome-free body alone (title excluded), tokens separated by spaces:
    /// `Shingler.shingles(ofNormalized: fingerprintText) == shingles`, so the catalogue can
    /// store this text and recompute the shingles when it verifies a candidate pair.
    public var fingerprintText: String
    /// The text's short lines (see `ChromeEvidence`), sorted by key: the catalogue counts in
    /// how many clusters each occurs.
    public var evidenceLines: [EvidenceLine]

    /// Creates an analysis from stored values (the analyser builds them itself).
    public init(
        normalizationVersion: Int, normalizedHash: String, language: String, languageConfidence: Double,
        script: String, title: String?, titleSource: TitleSource, titleLine: Int?, published: Date?,
        boilerplate: [BoilerplateLine], bodyLines: ClosedRange<Int>?, minhash: [UInt64],
        shingleCount: Int? = nil, normalizedTitleLine: String, fingerprintText: String = "",
        evidenceLines: [EvidenceLine] = []
    ) {
        self.evidenceLines = evidenceLines
        self.normalizationVersion = normalizationVersion
        self.normalizedHash = normalizedHash
        self.language = language
        self.languageConfidence = languageConfidence
        self.script = script
        self.title = title
        self.titleSource = titleSource
        self.titleLine = titleLine
        self.published = published
        self.boilerplate = boilerplate
        self.bodyLines = bodyLines
        self.minhash = minhash
        self.shingleCount = shingleCount
        self.normalizedTitleLine = normalizedTitleLine
        self.fingerprintText = fingerprintText
    }
}
