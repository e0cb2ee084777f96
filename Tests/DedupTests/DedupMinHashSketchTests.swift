import Testing

@testable import Dedup
@testable import TextAnalysis

/// The one-byte MinHash sketch estimates a pair's Jaccard well enough to skip verifying pairs
/// far below a near duplicate, and never rejects one at the lowest Jaccard its sizes allow.
@Suite struct DedupMinHashSketchTests {
    /// Two shingle sets of known overlap: `shared` values in both, `ownA` in `a` alone and
    /// `ownB` in `b` alone.
    static func pair(shared: Int, own: Int, ownB: Int? = nil, seed: UInt64) -> (a: [UInt64], b: [UInt64]) {
        var generator = seed
        func next() -> UInt64 {
            generator = StableHash.fmix64(generator &+ 0x9E37_79B9_7F4A_7C15)
            return generator
        }
        let common = (0..<shared).map { _ in next() }
        let a = (common + (0..<own).map { _ in next() }).sorted()
        let b = (common + (0..<(ownB ?? own)).map { _ in next() }).sorted()
        return (a, b)
    }

    static func sketch(_ shingles: [UInt64], counted: Bool = true) -> MinHashSketch {
        var sketch = MinHashSketch.of(MinHasher.signature(of: shingles), shingles: shingles.count)
        if !counted { sketch.shingles = nil }
        return sketch
    }

    /// How many of 500 pairs built by `make` from different seeds the sketches reject.
    static func rejected(counted: Bool, _ make: (UInt64) -> (a: [UInt64], b: [UInt64])) -> Int {
        (0..<500).filter { seed in
            let (a, b) = make(UInt64(seed) &* 104_729)
            return MinHashSketch.rejects(sketch(a, counted: counted), sketch(b, counted: counted))
        }.count
    }

    @Test func identicalSignaturesEstimateOne() {
        let (a, _) = Self.pair(shared: 300, own: 0, seed: 1)
        let sketch = Self.sketch(a)
        #expect(sketch.bytes.count == MinHasher.permutations)
        #expect(sketch.shingles == 300)
        #expect(MinHashSketch.estimatedJaccard(sketch.bytes, sketch.bytes) == 1)
    }

    @Test func estimatesFollowTheJaccard() {
        for (shared, own) in [(600, 100), (300, 200), (100, 400), (0, 400)] {
            var total = 0.0
            let trials = 40
            for seed in 0..<trials {
                let (a, b) = Self.pair(shared: shared, own: own, seed: UInt64(seed) &* 7919)
                total += MinHashSketch.estimatedJaccard(Self.sketch(a).bytes, Self.sketch(b).bytes) ?? .nan
            }
            let jaccard = Double(shared) / Double(shared + 2 * own)
            // The mean of 40 estimates: its standard error is under 0.01.
            #expect(abs(total / Double(trials) - jaccard) < 0.04, "shared \(shared), own \(own)")
        }
    }

    /// The lowest accepted Jaccard is the inverse of `NearDuplicate.verify`'s rules: for each
    /// pair of sizes, the pair with the fewest shared shingles that `verify` accepts has a
    /// Jaccard at or just above it (and where none is accepted, none could reach it).
    @Test func lowestAcceptedJaccardIsVerifysOwn() {
        for (sizeA, sizeB) in [
            (300, 300), (300, 600), (300, 601), (400, 500), (149, 200), (1000, 1300), (40, 40),
        ] {
            let lowest = NearDuplicate.lowestAcceptedJaccard(sizeA, sizeB)
            var firstAccepted: Double?
            for shared in 0...min(sizeA, sizeB) {
                let (a, b) = Self.pair(shared: shared, own: sizeA - shared, ownB: sizeB - shared, seed: 5)
                guard let similarity = NearDuplicate.verify(a, b) else { continue }
                firstAccepted = similarity.jaccard
                break
            }
            guard let accepted = firstAccepted else {
                // None can be: the bound is above the largest Jaccard the sizes allow.
                #expect(lowest > Double(min(sizeA, sizeB)) / Double(max(sizeA, sizeB)), "\(sizeA), \(sizeB)")
                continue
            }
            #expect(accepted >= lowest - 1e-9, "\(sizeA), \(sizeB)")
            #expect(accepted - lowest < 0.01, "\(sizeA), \(sizeB)")
        }
        // Unknown sizes allow the lowest of all: containment 0.9 at size ratio 0.5.
        #expect(abs(NearDuplicate.lowestAcceptedJaccard(nil, 300) - 0.45 / 1.05) < 1e-12)
        #expect(NearDuplicate.lowestAcceptedJaccard(300, 300) == NearDuplicate.jaccardThreshold)
    }

    /// At the lowest Jaccard a pair can be accepted with (containment 0.9 at size ratio 0.5:
    /// 0.43), not one of 500 pairs is rejected, with or without their counts; far below it,
    /// nearly all are.
    @Test func rejectsFarPairsAndKeepsTheLowestAcceptable() {
        // 300 shingles, 270 of them inside a text of 600.
        let contained = { (seed: UInt64) in Self.pair(shared: 270, own: 30, ownB: 330, seed: seed) }
        let (a, b) = contained(1)
        #expect(NearDuplicate.verify(a, b) != nil)
        #expect(Self.rejected(counted: true, contained) == 0)
        #expect(Self.rejected(counted: false, contained) == 0)
        // 0.1: a shared paragraph or two.
        let far = { (seed: UInt64) in Self.pair(shared: 100, own: 450, seed: seed) }
        #expect(Self.rejected(counted: true, far) >= 495)
        #expect(Self.rejected(counted: false, far) >= 495)
    }

    /// Texts of like size are accepted only from a Jaccard of 0.70: with their counts, pairs at
    /// 0.70 are all verified, and pairs at 0.45 (half their text in common, which the estimate
    /// alone must let through) nearly all skipped.
    @Test func knownSizesRaiseTheBarForTextsOfLikeSize() {
        let near = { (seed: UInt64) in Self.pair(shared: 700, own: 150, seed: seed) }
        #expect(Self.rejected(counted: true, near) == 0)
        let half = { (seed: UInt64) in Self.pair(shared: 450, own: 275, seed: seed) }
        let (a, b) = half(1)
        #expect(NearDuplicate.verify(a, b) == nil)
        #expect(Self.rejected(counted: true, half) >= 450)
        #expect(Self.rejected(counted: false, half) == 0)
    }

    @Test func missingOrMismatchedSketchesRejectNothing() {
        let short = MinHashSketch(bytes: [1, 2], shingles: 300)
        #expect(!MinHashSketch.rejects(nil, short))
        #expect(!MinHashSketch.rejects(short, MinHashSketch(bytes: [1, 2, 3], shingles: 300)))
        #expect(
            !MinHashSketch.rejects(
                MinHashSketch(bytes: [], shingles: 0), MinHashSketch(bytes: [], shingles: 0)))
    }
}
