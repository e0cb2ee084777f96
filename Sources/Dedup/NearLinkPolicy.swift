/// How many candidates a content looks at, how many links it keeps, and which clusters it
/// joins: the bounds that make adding, changing or removing one article cost the same
/// whether its story has one copy or ten thousand.
///
/// A content is verified against at most `verifications` candidates (those sharing the most
/// LSH band keys, the newest `candidatesPerKey` of each key), and stores at most
/// `linksPerContent` of the verified pairs as near links, only into the clusters it joins.
/// The join rule is `Clusterer`'s average linkage with its guard against chaining, applied to
/// the content against the clusters of its verified candidates, with every size counted up to
/// `verifications` (the most of a cluster a content can see):
///   * S / (min(|P|, V) · min(|Q|, V)) ≥ `Clusterer.averageLinkThreshold` (0.1), and
///   * S / min(|P|, |Q|, V) ≥ `Clusterer.coverageThreshold` (0.5),
/// where S is the sum of the content's verified strengths into cluster Q and P is the
/// content's own cluster so far. Up to `verifications` identity groups this is exactly the
/// clusterer's rule (a variant of one original joins a star of up to nine; one verified edge
/// never joins two clusters of two or more texts); past it a cluster counts as
/// `verifications` groups, so a new copy must resemble at least two of the sixteen members it
/// sees to join, and a single text can never merge two clusters that large.
public enum NearLinkPolicy {
    /// Newest contents taken from each band key's list of contents.
    public static let candidatesPerKey = 16
    /// This transaction's contents taken from each band key, newest first.
    static let transactionCandidatesPerKey = 8
    /// Candidates verified exactly per content.
    static let verifications = 16
    /// Near links a content stores when it is added.
    static let linksPerContent = 8
    /// Link holders taken from each side of a cut when a removal splits a cluster, to judge
    /// whether the sides still belong together (every pair verified: at most 64).
    static let sample = 8
    /// Links a content may have (its own and those of later contents to it) before later
    /// contents link elsewhere while they can: what a removal's split search starts from.
    static let maximumDegree = 2 * linksPerContent

    /// A cluster the content's verified candidates fall in.
    struct Target: Sendable, Equatable {
        /// The cluster's label.
        var label: String
        /// The sum of the content's verified strengths into it.
        var strength: Double
        /// Its size in identity groups.
        var groups: Int
    }

    /// The labels of the clusters a content in a cluster of `groups` identity groups joins,
    /// in the order it joins them: greedily, the highest average link first.
    static func joins(groups: Int, targets: [Target]) -> [String] {
        var size = groups
        var remaining = targets
        var joined: [String] = []
        let cap = Double(verifications)
        while true {
            var best: (index: Int, average: Double)?
            for (index, target) in remaining.enumerated() {
                let mine = min(Double(size), cap)
                let theirs = min(Double(target.groups), cap)
                let average = target.strength / (mine * theirs)
                let coverage = target.strength / min(mine, theirs)
                guard average >= Clusterer.averageLinkThreshold, coverage >= Clusterer.coverageThreshold
                else {
                    continue
                }
                if let current = best {
                    let other = remaining[current.index]
                    let better =
                        average > current.average
                        || (average == current.average
                            && (target.strength, other.label) > (other.strength, target.label))
                    if !better { continue }
                }
                best = (index, average)
            }
            guard let chosen = best else { return joined }
            let target = remaining.remove(at: chosen.index)
            joined.append(target.label)
            size += target.groups
        }
    }
}
