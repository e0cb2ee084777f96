/// Exact similarity of two shingle sets.
public struct Similarity: Sendable, Equatable {
    /// |A ∩ B| / |A ∪ B|.
    public var jaccard: Double
    /// |A ∩ B| / min(|A|, |B|): how much of the smaller text the larger one contains.
    public var containment: Double
    /// min(|A|, |B|) / max(|A|, |B|).
    public var sizeRatio: Double
    /// |A ∩ B|.
    public var intersection: Int
    /// The smaller set's size.
    var smallerSize: Int

    /// The strength the clusterer uses: the Jaccard, or the containment when the pair was
    /// accepted as one text containing the other.
    public var strength: Double {
        NearDuplicate.acceptsContainment(self) ? max(jaccard, containment) : jaccard
    }
}

/// Verification of near-duplicate candidates on their stored shingle sets.
public enum NearDuplicate {
    /// An edge when the Jaccard reaches this.
    static let jaccardThreshold = 0.70
    /// Or when the smaller text is contained at least this much in the larger...
    static let containmentThreshold = 0.90
    /// ...the smaller is at least this fraction of the larger...
    static let minimumSizeRatio = 0.5
    /// ...and both have at least this many shingles (about 25 words): a headline is not
    /// a near-duplicate of every article that quotes it.
    static let containmentMinimumShingles = 150

    /// Jaccard and containment of two sorted, unique arrays, by one merge pass.
    public static func similarity(_ a: [UInt64], _ b: [UInt64]) -> Similarity {
        var i = 0
        var j = 0
        var common = 0
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                while i < x.count && j < y.count {
                    let u = x[i]
                    let v = y[j]
                    if u == v {
                        common += 1
                        i += 1
                        j += 1
                    } else if u < v {
                        i += 1
                    } else {
                        j += 1
                    }
                }
            }
        }
        let smaller = min(a.count, b.count)
        let larger = max(a.count, b.count)
        let union = a.count + b.count - common
        return Similarity(
            jaccard: union == 0 ? 0 : Double(common) / Double(union),
            containment: smaller == 0 ? 0 : Double(common) / Double(smaller),
            sizeRatio: larger == 0 ? 0 : Double(smaller) / Double(larger),
            intersection: common,
            smallerSize: smaller)
    }

    /// The similarity when the pair is a near-duplicate edge, nil otherwise: Jaccard ≥ 0.70,
    /// or containment ≥ 0.90 with size ratio ≥ 0.5 and both sides large enough.
    public static func verify(_ a: [UInt64], _ b: [UInt64]) -> Similarity? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let similarity = similarity(a, b)
        if similarity.jaccard >= jaccardThreshold || acceptsContainment(similarity) { return similarity }
        return nil
    }

    /// The lowest Jaccard `verify` accepts two shingle sets of these sizes with (nil: unknown,
    /// which allows any). The containment rule accepts |A ∩ B| ≥ 0.9 · |A| for the smaller A,
    /// that is a Jaccard of 0.9r / (1 + 0.1r) at size ratio r: 0.43 at r = 0.5, and above
    /// 0.70 from r = 0.78 on.
    static func lowestAcceptedJaccard(_ a: Int?, _ b: Int?) -> Double {
        // Unknown sizes: the lowest ratio the containment rule accepts.
        var r = minimumSizeRatio
        if let a, let b {
            guard min(a, b) >= containmentMinimumShingles else { return jaccardThreshold }
            r = Double(min(a, b)) / Double(max(a, b))
            guard r >= minimumSizeRatio else { return jaccardThreshold }
        }
        let c = containmentThreshold
        return min(jaccardThreshold, c * r / (1 + r - c * r))
    }

    /// Whether the containment rule alone accepts the pair.
    static func acceptsContainment(_ s: Similarity) -> Bool {
        s.containment >= containmentThreshold && s.sizeRatio >= minimumSizeRatio
            && s.smallerSize >= containmentMinimumShingles
    }
}
