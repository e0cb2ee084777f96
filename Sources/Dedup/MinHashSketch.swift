import TextAnalysis

/// One byte of each MinHash value (b-bit minwise hashing, Li and König, 2010): 128 bytes a
/// content, from which the Jaccard of two texts is estimated without their shingle sets.
///
/// A candidate pair shares a band key; most that do in a large archive share a recurring
/// paragraph or two and are then rejected by the exact check on their shingle sets, which
/// must be rebuilt from the candidate's stored text. The sketch rejects them first. Two
/// sketch bytes agree with probability J + (1 − J)/256, so the estimate's standard error is
/// about 0.044 at the lowest Jaccard an accepted pair can have (0.43: containment 0.9 at size
/// ratio 0.5); rejecting below 0.25 is four of them away from it.
enum MinHashSketch {
    /// Pairs estimated below this are not verified.
    static let rejectBelow = 0.25

    /// The sketch of a signature (empty for an empty one).
    static func of(_ minhash: [UInt64]) -> [UInt8] {
        // Through fmix64: a minimum's low bits are as random as its high bits are not.
        minhash.map { UInt8(truncatingIfNeeded: StableHash.fmix64($0)) }
    }

    /// The estimated Jaccard of the texts behind two sketches; nil when they cannot be
    /// compared (either empty, or of different lengths).
    static func estimatedJaccard(_ a: [UInt8], _ b: [UInt8]) -> Double? {
        guard !a.isEmpty, a.count == b.count else { return nil }
        var agreeing = 0
        for index in a.indices where a[index] == b[index] { agreeing += 1 }
        let chance = 1.0 / 256
        return (Double(agreeing) / Double(a.count) - chance) / (1 - chance)
    }

    /// Whether a candidate pair is too far from a near duplicate to be worth verifying.
    static func rejects(_ a: [UInt8]?, _ b: [UInt8]?) -> Bool {
        guard let a, let b, let estimate = estimatedJaccard(a, b) else { return false }
        return estimate < rejectBelow
    }
}
