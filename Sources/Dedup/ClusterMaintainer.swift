/// Keeps the near links and the clusters current inside one write transaction, at a cost per
/// added, changed or removed content that does not grow with the size of its cluster.
///
/// The model (the invariants every method keeps):
///   * Clusters are the connected components of the stored near links and of identity
///     groups (contents with the same normalised text). Every content carries its cluster's
///     label: the first 8 bytes, in hex, of the smallest SHA-256 among the members
///     (`ClusterID`), so it is the same on every host.
///   * Only an identity group's holder (its smallest content id) stores near links; the
///     others join its cluster by identity and look at no candidates.
///   * A content stores links only into the clusters it joins (`NearLinkPolicy.joins`), at
///     most `NearLinkPolicy.linksPerContent` when it is added: a link never crosses two
///     clusters, so components are clusters and the guard against chaining holds.
///
/// Adding a content verifies a bounded number of candidates and joins or merges the
/// clusters they are in. Removing one deletes its links and, when it held a part of its
/// cluster together, finds that part with `SplitSearch` (bounded by the part, not the
/// cluster); the part is linked back when a sample of it still resembles a sample of the
/// rest by the clusterer's rule, and is a cluster of its own otherwise, so the clusters are
/// what the current texts say. A relabelling costs the cluster's size only when the smallest
/// hash changes hands, which for a new or removed member of n has probability about 1/n.
public struct ClusterMaintainer<Graph: ClusterGraph> {
    let graph: Graph
    /// This transaction's contents by band key, built when they start joining.
    private var windows = CandidateWindows([])
    private var shingles = ShingleCache()
    /// Contents analysed in this transaction, waiting to join a cluster, in the order stored.
    private var fresh: [(id: Int64, text: String, keys: [UInt32])] = []
    private var freshIndex: [Int64: Int] = [:]
    /// By cluster label: the neighbours of the contents removed from it, where a search for
    /// a split starts.
    private var detachedNeighbours: [String: Set<Int64>] = [:]
    /// Labels whose owner (the member with the smallest hash) left the cluster.
    private var ownerLeft: Set<String> = []
    /// Contents whose cluster label changed.
    public private(set) var relabelled: [Int64] = []
    /// Contents whose lines may now be in more or fewer clusters (the chrome evidence counts
    /// them again): the smaller sides of merges and the parts split off. A relabelling that
    /// only renames a cluster changes no count, and of two merged clusters only lines that
    /// both hold change, which the smaller holds all of.
    public private(set) var recounted: [Int64] = []

    public init(graph: Graph) {
        self.graph = graph
    }

    /// Content `id` was analysed in this transaction: it joins its clusters in `finish`.
    public mutating func added(_ id: Int64, fingerprintText text: String, keys: [UInt32]) {
        shingles.forget(id)
        freshIndex[id] = fresh.count
        fresh.append((id, text, keys))
    }

    /// Content `id` is about to be removed or analysed again: its links go, its identity group
    /// keeps a holder, and the cluster it leaves is checked for a split in `finish`.
    public mutating func detach(_ id: Int64) throws {
        // Stored earlier in this transaction and not yet joined: it has no links to remove.
        if let index = freshIndex.removeValue(forKey: id) { fresh[index].text = "" }
        shingles.forget(id)
        guard let node = try graph.node(id), let label = node.label else { return }
        if let norm = node.norm, let heir = try graph.holder(norm: norm, excluding: id) {
            // The group stays, and so does its cluster: the links pass to the next holder.
            if id < heir {
                for link in try graph.removeLinks(of: id) where link.other(than: id) != heir {
                    try graph.addLink(link.moved(from: id, to: heir))
                }
            }
        } else {
            let links = try graph.removeLinks(of: id)
            if !links.isEmpty {
                detachedNeighbours[label, default: []].formUnion(links.map { $0.other(than: id) })
                try graph.setGroups(try graph.groups(of: label) - 1, of: label)
            }
        }
        if ClusterID.of(sha256: node.sha) == label { ownerLeft.insert(label) }
        try graph.setLabel(nil, of: id)
    }

    /// Splits what removed contents held together, labels clusters whose owner left, and
    /// lets every content analysed in this transaction join its clusters.
    public mutating func finish() throws {
        for (label, starts) in detachedNeighbours.sorted(by: { $0.key < $1.key }) {
            try split(label, from: starts)
        }
        detachedNeighbours.removeAll()
        for label in ownerLeft.sorted() { try relabelAfterOwnerLeft(label) }
        ownerLeft.removeAll()
        let joining = fresh.enumerated().filter { freshIndex[$0.element.id] == $0.offset }.map(\.element)
        windows = CandidateWindows(joining.map { ($0.id, $0.keys) })
        // In id order: a content's candidates in this transaction are those before it.
        for item in joining.sorted(by: { $0.id < $1.id }) {
            try join(item.id, text: item.text, keys: item.keys)
        }
        fresh.removeAll()
        freshIndex.removeAll()
    }

    // MARK: Joining

    /// Content `id`, analysed in this transaction, joins its identity group's cluster, or the
    /// clusters of its verified candidates that the policy accepts.
    private mutating func join(_ id: Int64, text: String, keys: [UInt32]) throws {
        guard let node = try graph.node(id) else { return }
        let label = node.label ?? ClusterID.of(sha256: node.sha)
        if node.label == nil { try graph.setLabel(label, of: id) }
        if let norm = node.norm, let holder = try graph.holder(norm: norm, excluding: id) {
            try joinGroup(id, label: label, holder: holder)
            return
        }
        guard !keys.isEmpty, id <= Int64(UInt32.max) else { return }
        let verified = try verifiedCandidates(of: id, text: text, keys: keys, label: label)
        guard !verified.isEmpty else { return }
        var byLabel: [String: (strength: Double, links: [NearLink])] = [:]
        for (link, target) in verified {
            byLabel[target, default: (0, [])].strength += link.strength
            byLabel[target, default: (0, [])].links.append(link)
        }
        let ownGroups = try graph.groups(of: label)
        let targets = try byLabel.map { target in
            NearLinkPolicy.Target(
                label: target.key, strength: target.value.strength, groups: try graph.groups(of: target.key))
        }
        let joined = NearLinkPolicy.joins(groups: ownGroups, targets: targets)
        guard !joined.isEmpty else { return }
        for link in try chooseLinks(of: id, joined.map { byLabel[$0]?.links ?? [] }) {
            try graph.addLink(link)
        }
        var sizes = [label: ownGroups]
        for target in targets where joined.contains(target.label) { sizes[target.label] = target.groups }
        let total = sizes.values.reduce(0, +)
        let merged = ([label] + joined).min() ?? label
        let largest = sizes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        for other in sizes.keys.sorted() where other != largest && other != label {
            recounted += try graph.members(of: other).map(\.id)
        }
        for other in [label] + joined where other != merged {
            relabelled += try graph.relabel(other, to: merged)
            try graph.setGroups(1, of: other)
        }
        try graph.setGroups(total, of: merged)
    }

    /// The links `id` stores, from its verified ones into each cluster it joins (`byCluster`):
    /// one into every cluster (so the component holds), then the strongest, up to
    /// `NearLinkPolicy.linksPerContent` in all. Contents that already have
    /// `NearLinkPolicy.maximumDegree` links are passed over while others will do: in a cold
    /// scan every content of a batch sees the same newest contents of the batch before, and
    /// without the cap one of them would take a thousand links (and its removal would search
    /// from a thousand neighbours).
    private func chooseLinks(of id: Int64, _ byCluster: [[NearLink]]) throws -> [NearLink] {
        var open: [Int64: Bool] = [:]
        for link in byCluster.joined() {
            let other = link.other(than: id)
            open[other] = try graph.degree(of: other) < NearLinkPolicy.maximumDegree
        }
        // Open ends first, then the strongest, then the lower id (deterministic).
        let better = { (x: NearLink, y: NearLink) -> Bool in
            let (u, v) = (open[x.other(than: id)] ?? false, open[y.other(than: id)] ?? false)
            if u != v { return u }
            return (x.strength, y.other(than: id)) > (y.strength, x.other(than: id))
        }
        var links = byCluster.compactMap { $0.sorted(by: better).first }
        let rest = byCluster.joined().filter { !links.contains($0) && open[$0.other(than: id)] == true }
        links += rest.sorted(by: better).prefix(max(0, NearLinkPolicy.linksPerContent - links.count))
        return links
    }

    /// A new content with the normalised text of an existing group takes that group's cluster
    /// (and its links, when its id is smaller than the holder's).
    private mutating func joinGroup(_ id: Int64, label: String, holder: Int64) throws {
        guard let holderLabel = try graph.node(holder)?.label else { return }
        if id < holder {
            for link in try graph.removeLinks(of: holder) where link.other(than: holder) != id {
                try graph.addLink(link.moved(from: holder, to: id))
            }
        }
        if label < holderLabel {
            relabelled += try graph.relabel(holderLabel, to: label)
            try graph.setGroups(try graph.groups(of: holderLabel), of: label)
            try graph.setGroups(1, of: holderLabel)
        } else if label != holderLabel {
            try graph.setLabel(holderLabel, of: id)
            relabelled.append(id)
        }
    }

    /// The candidates of `id` that verify, each as a link to its identity group's holder and
    /// with the label of its cluster; none in cluster `label` (already together).
    private mutating func verifiedCandidates(of id: Int64, text: String, keys: [UInt32], label: String) throws
        -> [(link: NearLink, label: String)]
    {
        var committed: [UInt32] = []
        try graph.committedCandidates(keys: keys, perKey: NearLinkPolicy.candidatesPerKey, into: &committed)
        var recent: [UInt32] = []
        windows.contents(withKeys: keys, before: id, into: &recent)
        // Taken in turn from the committed contents and this transaction's: the links of a
        // batch's contents then reach the batches before it, not only each other, and a cold
        // scan of one story does not leave a few contents alone holding its batches together.
        let self32 = UInt32(truncatingIfNeeded: id)
        let ranked = ClusterMaintainer.interleave(
            ClusterMaintainer.rank(committed, excluding: self32),
            ClusterMaintainer.rank(recent, excluding: self32))
        guard !ranked.isEmpty else { return [] }
        // Built when the first candidate passes the sketches: in a large archive most contents
        // have candidates (a recurring paragraph) and none that passes.
        var mine: [UInt64]?
        let mySketch = try graph.sketch(of: id)
        var holders: Set<Int64> = [id]
        var result: [(NearLink, String)] = []
        var verifiedIn: [String: Int] = [:]
        for candidate in ranked.prefix(NearLinkPolicy.verifications) {
            // Far from a near duplicate by the sketches: not worth its row, its holder or its
            // shingle set. First, because most candidates in a large archive end here (the
            // filters below are independent of it, so the order changes no verdict).
            if MinHashSketch.rejects(mySketch, try graph.sketch(of: candidate)) { continue }
            guard let other = try graph.node(candidate), let otherLabel = other.label, otherLabel != label
            else {
                continue
            }
            // A cluster that has given all the links a content stores has given its answer:
            // more of its members would only add strength to a join it already passes.
            if verifiedIn[otherLabel, default: 0] >= NearLinkPolicy.linksPerContent { continue }
            let holder = try other.norm.flatMap { try graph.holder(norm: $0, excluding: nil) } ?? candidate
            guard holders.insert(holder).inserted else { continue }
            var theirs = shingles.cached(candidate)
            if theirs == nil, let text = try fingerprintText(of: candidate) {
                theirs = shingles.shingles(of: candidate, text: text)
            }
            let own = mine ?? shingles.shingles(of: id, text: text)
            mine = own
            guard let theirs, let similarity = NearDuplicate.verify(own, theirs) else { continue }
            result.append((NearLink(id, holder, similarity), otherLabel))
            verifiedIn[otherLabel, default: 0] += 1
        }
        return result
    }

    private func fingerprintText(of id: Int64) throws -> String? {
        if let index = freshIndex[id] { return fresh[index].text }
        return try graph.fingerprintText(of: id)
    }

    /// `first` and `second` taken in turn, each id once.
    static func interleave(_ first: [Int64], _ second: [Int64]) -> [Int64] {
        var seen: Set<Int64> = []
        var result: [Int64] = []
        for index in 0..<max(first.count, second.count) {
            for list in [first, second] where index < list.count && seen.insert(list[index]).inserted {
                result.append(list[index])
            }
        }
        return result
    }

    /// Candidate ids, most shared keys first (then newest first), without `id`.
    static func rank(_ found: [UInt32], excluding id: UInt32) -> [Int64] {
        var sorted = found
        sorted.sort()
        var counted: [(id: UInt32, keys: Int)] = []
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count, sorted[end] == sorted[start] { end += 1 }
            if sorted[start] != id { counted.append((sorted[start], end - start)) }
            start = end
        }
        counted.sort { ($0.keys, $0.id) > ($1.keys, $1.id) }
        return counted.map { Int64($0.id) }
    }

    // MARK: Splitting

    /// Finds the parts of cluster `label` that its removed members alone held together. A part
    /// whose members still resemble the rest of the cluster (average linkage over a sample of
    /// each side next to the cut, `belongTogether`) is linked back to it; any other becomes
    /// a cluster of its own.
    private mutating func split(_ label: String, from starts: Set<Int64>) throws {
        var live: [Int64] = []
        for start in starts.sorted() where try graph.node(start)?.label == label { live.append(start) }
        guard live.count > 1 else { return }
        let search = try SplitSearch.components(from: live) { try graph.neighbours(of: $0) }
        var parts = search.closed
        var rest = search.rest
        if !search.restOpen {
            // Every part walked: the largest stays the cluster.
            guard let largest = parts.indices.max(by: { parts[$0].count < parts[$1].count }) else { return }
            rest = parts.remove(at: largest)
        }
        guard !parts.isEmpty else { return }
        let nearCut = { (nodes: [Int64]) in
            Array(
                (nodes.filter(starts.contains) + nodes.filter { !starts.contains($0) }).prefix(
                    NearLinkPolicy.sample))
        }
        let restSample = nearCut(rest)
        var remaining = try graph.groups(of: label)
        var keepsLabel: (members: Set<Int64>, groups: Int)?
        for part in parts {
            if try belongTogether(nearCut(part), restSample) { continue }
            var members: [(id: Int64, sha: [UInt8])] = []
            for holder in part {
                guard let node = try graph.node(holder) else { continue }
                members += try node.norm.map { try graph.group(norm: $0) } ?? [(holder, node.sha)]
            }
            guard let smallest = members.map(\.sha).min(by: { $0.lexicographicallyPrecedes($1) }) else {
                continue
            }
            let partLabel = ClusterID.of(sha256: smallest)
            remaining -= part.count
            if partLabel == label {
                // The owner is in this part: it keeps the label and the rest takes a new one.
                keepsLabel = (Set(members.map(\.id)), part.count)
                recounted += members.map(\.id)
                continue
            }
            for member in members {
                try graph.setLabel(partLabel, of: member.id)
                relabelled.append(member.id)
                recounted.append(member.id)
            }
            try graph.setGroups(part.count, of: partLabel)
        }
        if let kept = keepsLabel {
            let others = try graph.members(of: label).filter { !kept.members.contains($0.id) }
            if let smallest = others.map(\.sha).min(by: { $0.lexicographicallyPrecedes($1) }) {
                let restLabel = ClusterID.of(sha256: smallest)
                for member in others {
                    try graph.setLabel(restLabel, of: member.id)
                    relabelled.append(member.id)
                }
                try graph.setGroups(remaining, of: restLabel)
            }
            try graph.setGroups(kept.groups, of: label)
        } else {
            try graph.setGroups(remaining, of: label)
        }
    }

    /// Whether two sides of a cut are one cluster by the clusterer's average linkage, judged
    /// on a sample of each (up to `NearLinkPolicy.sample` link holders, every pair verified);
    /// if so, the strongest verified pairs (up to `NearLinkPolicy.linksPerContent`) are
    /// stored as links across the cut. On sides no larger than the sample this is the
    /// clusterer's own rule; on larger ones the sample stands for the side.
    private mutating func belongTogether(_ part: [Int64], _ rest: [Int64]) throws -> Bool {
        guard !part.isEmpty, !rest.isEmpty else { return false }
        var pairs: [NearLink] = []
        var strength = 0.0
        for a in part {
            guard let mine = try shingles(ofStored: a) else { continue }
            for b in rest {
                guard let theirs = try shingles(ofStored: b),
                    let similarity = NearDuplicate.verify(mine, theirs)
                else {
                    continue
                }
                let link = NearLink(a, b, similarity)
                pairs.append(link)
                strength += link.strength
            }
        }
        let (p, r) = (Double(part.count), Double(rest.count))
        guard strength / (p * r) >= Clusterer.averageLinkThreshold,
            strength / min(p, r) >= Clusterer.coverageThreshold
        else { return false }
        for link in pairs.sorted(by: { ($0.strength, $1.a) > ($1.strength, $0.a) }).prefix(
            NearLinkPolicy.linksPerContent)
        {
            try graph.addLink(link)
        }
        return true
    }

    private mutating func shingles(ofStored id: Int64) throws -> [UInt64]? {
        if let cached = shingles.cached(id) { return cached }
        guard let text = try fingerprintText(of: id) else { return nil }
        return shingles.shingles(of: id, text: text)
    }

    /// The member with the smallest hash left cluster `label`: the rest takes the label of
    /// its own smallest hash.
    private mutating func relabelAfterOwnerLeft(_ label: String) throws {
        let members = try graph.members(of: label)
        guard let smallest = members.map(\.sha).min(by: { $0.lexicographicallyPrecedes($1) }) else {
            try graph.setGroups(1, of: label)
            return
        }
        let newLabel = ClusterID.of(sha256: smallest)
        guard newLabel != label else { return }
        let groups = try graph.groups(of: label)
        relabelled += try graph.relabel(label, to: newLabel)
        try graph.setGroups(1, of: label)
        try graph.setGroups(groups, of: newLabel)
    }
}
