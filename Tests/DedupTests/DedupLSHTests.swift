import TestSupport
import Testing

@testable import Dedup
@testable import TextAnalysis

/// LSH banding as the catalogue uses it: candidate probability on synthetic pairs of known Jaccard.
struct DedupLSHTests {
    /// The band keys the catalogue stores for a signature (`ContentAnalysis.bandKeys`).
    static func storedKeys(_ signature: [UInt64]) -> [UInt32] {
        LSH.bandKeys(signature).map(BandTable.storedKey)
    }

    /// Two sets of `union` values sharing exactly `round(jaccard * union)` of them.
    static func pair(jaccard: Double, union: Int, generator: inout SplitMix64) -> ([UInt64], [UInt64]) {
        let shared = Int((jaccard * Double(union)).rounded())
        let common = (0..<shared).map { _ in generator.next() }
        let rest = (0..<(union - shared)).map { _ in generator.next() }
        let half = rest.count / 2
        return (common + rest[..<half], common + rest[half...])
    }

    /// Fraction of `trials` pairs at `jaccard` whose stored band keys share at least one key.
    static func candidateRate(jaccard: Double, trials: Int, seed: UInt64) -> Double {
        var generator = SplitMix64(seed: seed)
        var hits = 0
        for _ in 0..<trials {
            let (a, b) = pair(jaccard: jaccard, union: 600, generator: &generator)
            let keysA = Set(storedKeys(MinHasher.signature(of: a)))
            let keysB = storedKeys(MinHasher.signature(of: b))
            if keysB.contains(where: keysA.contains) { hits += 1 }
        }
        return Double(hits) / Double(trials)
    }

    /// The keys stored with an analysed content are `storedKeys` of its signature, one per band
    /// of the standard banding: the measurements below are of what the catalogue does.
    @Test func theCatalogueStoresTheStandardBandKeys() throws {
        for name in Seeds.names {
            let text = try Seeds.text(name)
            let signature = TextAnalyzer.analyze(TextDecoder.clean(text)).minhash
            let stored = ContentAnalysis(text: text).bandKeys
            #expect(stored == (signature.isEmpty ? [] : Self.storedKeys(signature)), "\(name)")
            #expect(signature.isEmpty || stored.count == LSH.standard.bands, "\(name)")
        }
    }

    /// Jaccard 0.3 and 0.43 tell the standard 42 x 3 (p = 0.68, 0.97) from a 32 x 4 banding
    /// (p = 0.23, 0.59); 0.43 is the lowest Jaccard the verifier accepts a half-length copy at.
    @Test("candidate rate of the stored keys is the standard banding's", arguments: [0.3, 0.43, 0.5, 0.7])
    func storedKeysRecall(jaccard: Double) {
        let theory = LSH.standard.candidateProbability(jaccard: jaccard)
        let measured = Self.candidateRate(jaccard: jaccard, trials: 400, seed: 11)
        #expect(abs(measured - theory) < 0.08, "J=\(jaccard): measured \(measured), theory \(theory)")
    }

    @Test func theoreticalPoints() {
        #expect(LSH.standard.candidateProbability(jaccard: 0.5) > 0.99)
        #expect(LSH.standard.candidateProbability(jaccard: 0.43) > 0.96)
        #expect(LSH.standard.candidateProbability(jaccard: 0.02) < 0.001)
    }

    @Test func unrelatedSetsRarelyCollide() {
        let measured = Self.candidateRate(jaccard: 0.02, trials: 2000, seed: 13)
        #expect(measured < 0.005, "unrelated collision rate \(measured)")
    }

    @Test func keysAreDeterministicAndBandSpecific() {
        let signature = MinHasher.signature(of: [1, 2, 3])
        let keys = LSH.bandKeys(signature)
        #expect(keys.count == LSH.standard.bands)
        #expect(keys == LSH.bandKeys(signature))
        // A signature whose bands are all equal still gives one distinct key per band.
        let flat = [UInt64](repeating: 42, count: 128)
        #expect(Set(Self.storedKeys(flat)).count == LSH.standard.bands)
        #expect(LSH.bandKeys([]).isEmpty)
    }
}
