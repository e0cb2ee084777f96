import Testing

@testable import SyncCore

/// LSH banding: candidate probability on synthetic pairs of known Jaccard.
struct DedupLSHTests {
    /// Two sets of `union` values sharing exactly `round(jaccard * union)` of them.
    static func pair(jaccard: Double, union: Int, generator: inout SplitMix64) -> ([UInt64], [UInt64]) {
        let shared = Int((jaccard * Double(union)).rounded())
        let common = (0..<shared).map { _ in generator.next() }
        let rest = (0..<(union - shared)).map { _ in generator.next() }
        let half = rest.count / 2
        return (common + rest[..<half], common + rest[half...])
    }

    /// Fraction of `trials` pairs at `jaccard` that share at least one band key.
    static func candidateRate(jaccard: Double, configuration: LSH.Configuration, trials: Int, seed: UInt64)
        -> Double
    {
        var generator = SplitMix64(seed: seed)
        var hits = 0
        for _ in 0..<trials {
            let (a, b) = pair(jaccard: jaccard, union: 600, generator: &generator)
            let keysA = Set(LSH.bandKeys(MinHasher.signature(of: a), configuration: configuration))
            let keysB = LSH.bandKeys(MinHasher.signature(of: b), configuration: configuration)
            if keysB.contains(where: keysA.contains) { hits += 1 }
        }
        return Double(hits) / Double(trials)
    }

    @Test("candidate rate of the standard banding is near theory", arguments: [0.5, 0.6, 0.7, 0.8])
    func standardRecall(jaccard: Double) {
        let configuration = LSH.standard
        let theory = configuration.candidateProbability(jaccard: jaccard)
        let measured = Self.candidateRate(
            jaccard: jaccard, configuration: configuration, trials: 400, seed: 11)
        #expect(measured >= theory - 0.04, "J=\(jaccard): measured \(measured), theory \(theory)")
    }

    @Test("TEXT.md's 32 x 4 behaves as computed", arguments: [0.5, 0.7, 0.8])
    func textMDRecall(jaccard: Double) {
        let configuration = LSH.textMDDefault
        let theory = configuration.candidateProbability(jaccard: jaccard)
        let measured = Self.candidateRate(
            jaccard: jaccard, configuration: configuration, trials: 400, seed: 12)
        #expect(abs(measured - theory) < 0.08, "J=\(jaccard): measured \(measured), theory \(theory)")
    }

    @Test func theoreticalPoints() {
        #expect(abs(LSH.textMDDefault.candidateProbability(jaccard: 0.5) - 0.873) < 0.001)
        #expect(LSH.textMDDefault.candidateProbability(jaccard: 0.7) > 0.999)
        #expect(LSH.standard.candidateProbability(jaccard: 0.5) > 0.99)
        #expect(LSH.standard.candidateProbability(jaccard: 0.43) > 0.96)
        #expect(LSH.standard.candidateProbability(jaccard: 0.02) < 0.001)
    }

    @Test func unrelatedSetsRarelyCollide() {
        let measured = Self.candidateRate(jaccard: 0.02, configuration: LSH.standard, trials: 2000, seed: 13)
        #expect(measured < 0.005, "unrelated collision rate \(measured)")
    }

    @Test func keysAreDeterministicAndBandSpecific() {
        let signature = MinHasher.signature(of: [1, 2, 3])
        let keys = LSH.bandKeys(signature)
        #expect(keys.count == LSH.standard.bands)
        #expect(keys == LSH.bandKeys(signature))
        // A signature whose bands are all equal still gives one distinct key per band.
        let flat = [UInt64](repeating: 42, count: 128)
        #expect(Set(LSH.bandKeys(flat)).count == LSH.standard.bands)
        #expect(LSH.bandKeys([]).isEmpty)
    }
}
