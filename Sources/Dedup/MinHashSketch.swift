import TextAnalysis

/// What the writer knows of a content's text before it rebuilds its shingle set: one byte of
/// each MinHash value (b-bit minwise hashing, Li and König, 2010), 128 bytes a content, from
/// which the Jaccard of two texts is estimated, and the number of distinct shingles.
///
/// A candidate pair shares a band key; most that do in a large archive share a recurring
/// paragraph or two and are then rejected by the exact check on their shingle sets, which
/// must be rebuilt from the candidate's stored text. The sketch rejects them first: below
/// the lowest Jaccard the pair could be accepted with, by four standard errors of the
/// estimate. The sizes set that Jaccard (`NearDuplicate.lowestAcceptedJaccard`): 0.70 for
/// texts of like size, down to 0.43 for one text half the other's size and 90% inside it. Two
/// sketch bytes agree with probability J + (1 − J)/256, so the estimate's standard error is
/// about 0.041 at 0.70 and 0.044 at 0.43: a pair of like size is verified from an estimate of
/// 0.54, one of unknown sizes (a sketch stored without its count) from 0.25.
public struct MinHashSketch: Sendable, Equatable {
    /// One byte of each MinHash value; empty when the text has no signature.
    public var bytes: [UInt8]
    /// The text's distinct shingles; nil for a sketch stored without its count, or a text too
    /// long to count (`Shingler.countedWindows`).
    public var shingles: Int?

    public init(bytes: [UInt8], shingles: Int?) {
        self.bytes = bytes
        self.shingles = shingles
    }

    /// The sketch of a signature and its shingle count (no bytes for an empty signature).
    static func of(_ minhash: [UInt64], shingles: Int?) -> MinHashSketch {
        // Through fmix64: a minimum's low bits are as random as its high bits are not.
        MinHashSketch(
            bytes: minhash.map { UInt8(truncatingIfNeeded: StableHash.fmix64($0)) }, shingles: shingles)
    }

    /// The estimated Jaccard of the texts behind two sketches' bytes; nil when they cannot be
    /// compared (either empty, or of different lengths).
    static func estimatedJaccard(_ a: [UInt8], _ b: [UInt8]) -> Double? {
        guard !a.isEmpty, a.count == b.count else { return nil }
        var agreeing = 0
        for index in a.indices where a[index] == b[index] { agreeing += 1 }
        let chance = 1.0 / 256
        return (Double(agreeing) / Double(a.count) - chance) / (1 - chance)
    }

    /// The estimate below which a pair of texts with these shingle counts (nil: unknown) and
    /// sketches of `bytes` bytes is not verified.
    static func rejectionThreshold(_ a: Int?, _ b: Int?, bytes: Int) -> Double {
        let lowest = NearDuplicate.lowestAcceptedJaccard(a, b)
        let chance = 1.0 / 256
        let agreeing = lowest + (1 - lowest) * chance
        let error = (agreeing * (1 - agreeing) / Double(bytes)).squareRoot() / (1 - chance)
        return lowest - 4 * error
    }

    /// Whether a candidate pair is too far from a near duplicate to be worth verifying.
    static func rejects(_ a: MinHashSketch?, _ b: MinHashSketch?) -> Bool {
        guard let a, let b, let estimate = estimatedJaccard(a.bytes, b.bytes) else { return false }
        return estimate < rejectionThreshold(a.shingles, b.shingles, bytes: a.bytes.count)
    }
}
