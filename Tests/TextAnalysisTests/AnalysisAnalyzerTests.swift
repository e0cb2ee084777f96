import Foundation
import TestSupport
import Testing

@testable import TextAnalysis

/// The whole pipeline: fingerprints, search text, and thread safety.
struct AnalysisAnalyzerTests {
    @Test func seedFingerprints() throws {
        for name in Seeds.names {
            let analysis = TextAnalyzer.analyze(try Seeds.text(name))
            #expect(analysis.minhash.count == MinHasher.permutations, "\(name)")
            #expect(analysis.minhash == MinHasher.signature(of: analysis.shingles))
            #expect(analysis.shingles == analysis.shingles.sorted())
            #expect(Set(analysis.shingles).count == analysis.shingles.count)
            #expect(analysis.normalizationVersion == Normalizer.version)
            #expect(analysis.normalizedHash.count == 64)
            #expect(!analysis.searchText.contains("  "))
            #expect(analysis.searchText == Normalizer.normalize(analysis.searchText))
        }
    }

    @Test func shortBodiesHaveNoSignature() {
        let analysis = TextAnalyzer.analyze("Short note.")
        #expect(!analysis.shingles.isEmpty)
        #expect(analysis.minhash.isEmpty)
    }

    @Test func analysisIsPureAndThreadSafe() async throws {
        let texts = try Seeds.names.map(Seeds.text)
        let now = Date(timeIntervalSince1970: 1_714_521_600)
        let expected = texts.map { TextAnalyzer.analyze($0, now: now) }
        let results = await withTaskGroup(of: (Int, ArticleAnalysis).self) { group in
            for round in 0..<8 {
                for (index, text) in texts.enumerated() {
                    group.addTask { (index, TextAnalyzer.analyze(text, now: now)) }
                }
                _ = round
            }
            var out: [(Int, ArticleAnalysis)] = []
            for await result in group { out.append(result) }
            return out
        }
        #expect(results.count == texts.count * 8)
        for (index, analysis) in results { #expect(analysis == expected[index]) }
    }
}
