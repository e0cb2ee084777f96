import Testing
import TextAnalysis

@testable import Dedup

/// The version the catalogue stores with each content moves with the normaliser: contents
/// analysed under an older `Normalizer.version` are analysed again. (`AnalysisNormalizerTests`
/// names each normaliser version's outputs.)
@Suite struct ContentAnalysisVersionTests {
    /// The first `ContentAnalysis.currentVersion` computed with each `Normalizer.version`. A row
    /// is never edited: outputs that change get a new normaliser version, a new content version
    /// and a new row.
    static let firstContentVersion: [Int: Int] = [1: 1]

    @Test func theContentVersionFollowsTheNormalizer() throws {
        let first = try #require(
            Self.firstContentVersion[Normalizer.version],
            "no row for Normalizer.version \(Normalizer.version)")
        #expect(ContentAnalysis.currentVersion >= first)
        #expect(Self.firstContentVersion.keys.max() == Normalizer.version)
        // Each normaliser version has a content version of its own.
        let ordered = Self.firstContentVersion.sorted { $0.key < $1.key }.map(\.value)
        #expect(zip(ordered, ordered.dropFirst()).allSatisfy { $0 < $1 })
    }
}
