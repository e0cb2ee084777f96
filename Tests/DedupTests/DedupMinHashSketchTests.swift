import Testing

@testable import Dedup
@testable import TextAnalysis

/// The one-byte MinHash sketch estimates a pair's Jaccard well enough to skip verifying pairs
/// far below a near duplicate, and never rejects one at the lowest Jaccard accepted.
@Suite struct DedupMinHashSketchTests {
    /// Two shingle sets of known overlap: `shared` values in both, `own` in each alone.
    static func pair(shared: Int, own: Int, seed: UInt64) -> (a: [UInt64], b: [UInt64], jaccard: Double) {
        var generator = seed
        func next() -> UInt64 {
            generator = StableHash.fmix64(generator &+ 0x9E37_79B9_7F4A_7C15)
            return generator
        }
        let common = (0..<shared).map { _ in next() }
        let a = (common + (0..<own).map { _ in next() }).sorted()
        let b = (common + (0..<own).map { _ in next() }).sorted()
        return (a, b, Double(shared) / Double(shared + 2 * own))
    }

    @Test func identicalSignaturesEstimateOne() {
        let (a, _, _) = Self.pair(shared: 300, own: 0, seed: 1)
        let sketch = MinHashSketch.of(MinHasher.signature(of: a))
        #expect(sketch.count == MinHasher.permutations)
        #expect(MinHashSketch.estimatedJaccard(sketch, sketch) == 1)
    }

    @Test func estimatesFollowTheJaccard() {
        for (shared, own) in [(600, 100), (300, 200), (100, 400), (0, 400)] {
            var total = 0.0
            let trials = 40
            for seed in 0..<trials {
                let (a, b, _) = Self.pair(shared: shared, own: own, seed: UInt64(seed) &* 7919)
                let estimate = MinHashSketch.estimatedJaccard(
                    MinHashSketch.of(MinHasher.signature(of: a)), MinHashSketch.of(MinHasher.signature(of: b))
                )
                total += estimate ?? .nan
            }
            let jaccard = Double(shared) / Double(shared + 2 * own)
            // The mean of 40 estimates: its standard error is under 0.01.
            #expect(abs(total / Double(trials) - jaccard) < 0.04, "shared \(shared), own \(own)")
        }
    }

    /// At the lowest Jaccard a pair can be accepted with (containment 0.9, size ratio 0.5:
    /// 0.43), not one of 500 pairs is rejected; far below it, nearly all are.
    @Test func rejectsFarPairsAndKeepsTheLowestAcceptable() {
        var keptLow = 0
        var rejectedFar = 0
        for seed in 0..<500 {
            // 0.43: 3 shared to 2 own each (3/7).
            let low = Self.pair(shared: 300, own: 200, seed: UInt64(seed) &* 104_729)
            if !MinHashSketch.rejects(
                MinHashSketch.of(MinHasher.signature(of: low.a)),
                MinHashSketch.of(MinHasher.signature(of: low.b)))
            {
                keptLow += 1
            }
            // 0.1: a shared paragraph or two.
            let far = Self.pair(shared: 100, own: 450, seed: UInt64(seed) &* 15_485_863)
            if MinHashSketch.rejects(
                MinHashSketch.of(MinHasher.signature(of: far.a)),
                MinHashSketch.of(MinHasher.signature(of: far.b)))
            {
                rejectedFar += 1
            }
        }
        #expect(keptLow == 500)
        #expect(rejectedFar >= 495)
    }

    @Test func missingOrMismatchedSketchesRejectNothing() {
        #expect(!MinHashSketch.rejects(nil, [1, 2]))
        #expect(!MinHashSketch.rejects([1, 2], [1, 2, 3]))
        #expect(!MinHashSketch.rejects([], []))
    }
}
