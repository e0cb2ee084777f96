import Foundation
import TextAnalysis

/// What the catalogue stores of one text's analysis: `ArticleAnalysis` trimmed to its columns.
///
/// Built on the ingest workers, so the shingle set (tens of KiB) and the MinHash signature are
/// dropped there: only the signature's LSH band keys and the fingerprint text (from which
/// both are recomputed for the rare candidate pair or removal) travel to the writer.
public struct ContentAnalysis: Sendable, Equatable {
    public var version: Int
    public var normalizedHash: [UInt8]
    public var language: String
    public var languageConfidence: Double
    public var script: String
    public var title: String?
    public var titleSource: TitleSource
    public var publishedNanoseconds: Int64?
    /// LSH band keys of the MinHash signature, as the band table stores them (empty when the
    /// body is too short for a signature).
    public var bandKeys: [UInt32]
    /// The signature's `MinHashSketch` and the shingle count (no bytes when there is no
    /// signature).
    public var sketch: MinHashSketch
    /// The normalised title, for the search index.
    public var searchTitle: String
    /// The normalised chrome-free body (the fingerprint text), for the search index.
    public var searchBody: String
    /// Lines left out of the fingerprint, as JSON `[{"line": n, "reason": "…"}]`.
    public var boilerplateJSON: String
    /// The text's short lines and how this analysis treated them (`ChromeEvidence`): the
    /// catalogue compares them with its current verdicts and analyses the text again when
    /// they differ.
    public var evidence: [EvidenceLine]

    /// The analysis version stored with each content: bump when anything that feeds a
    /// stored key changes (the normaliser's version included), so the backfill recomputes
    /// it. 1: the first analysis; 2: short lines stored as chrome evidence; 3: near links
    /// bounded per content (`BoundedNearLinksMigration`: every content joins its clusters again).
    public static let currentVersion = 3

    /// Analyses `text` (valid UTF-8, as read); `knownChrome` is the catalogue's current
    /// corpus-chrome verdicts (`AppDatabase.knownChrome`); `wholeTextKey` is the normalised
    /// key of the whole file when `text` is only its analysed prefix (`FileContent`).
    public init(text: String, now: Date = Date(), knownChrome: Set<UInt64> = [], wholeTextKey: String? = nil)
    {
        let analysis = TextAnalyzer.analyze(
            TextDecoder.clean(text), now: now, knownChrome: knownChrome, wholeTextKey: wholeTextKey)
        evidence = analysis.evidenceLines
        version = ContentAnalysis.currentVersion
        normalizedHash = ContentAnalysis.bytes(fromHex: analysis.normalizedHash)
        language = analysis.language
        languageConfidence = analysis.languageConfidence
        script = analysis.script
        title = analysis.title
        titleSource = analysis.titleSource
        publishedNanoseconds = analysis.published.map { Int64($0.timeIntervalSince1970 * 1e9) }
        bandKeys = analysis.minhash.isEmpty ? [] : LSH.bandKeys(analysis.minhash).map(BandTable.storedKey)
        sketch = MinHashSketch.of(analysis.minhash, shingles: analysis.shingleCount)
        searchTitle = analysis.title.map(Normalizer.normalize) ?? ""
        searchBody = analysis.fingerprintText
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        boilerplateJSON =
            (try? encoder.encode(analysis.boilerplate)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func bytes(fromHex hex: String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            default: continue
            }
            if let h = high {
                result.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return result
    }
}
