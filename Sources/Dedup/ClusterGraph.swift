/// What near-duplicate cluster maintenance reads and writes in the catalogue: each content's
/// cluster label and identity group, the stored near links, the size of each cluster in
/// identity groups, and the candidates a content's LSH band keys name. `ClusterMaintainer`
/// holds the logic; the catalogue implements this for one write transaction
/// (`CatalogClusterGraph`), and another store (a shared PostgreSQL catalogue) can too.
public protocol ClusterGraph {
    /// The content's cluster label (nil while it is detached), normalised-text hash and
    /// SHA-256; nil when the content is gone.
    func node(_ id: Int64) throws -> ClusterNode?
    /// The smallest content id with normalised-text hash `norm` other than `excluding`: the
    /// identity group's link holder. Only a holder stores near links.
    func holder(norm: [UInt8], excluding: Int64?) throws -> Int64?
    /// The contents with normalised-text hash `norm`, with their hashes.
    func group(norm: [UInt8]) throws -> [(id: Int64, sha: [UInt8])]
    /// The contents labelled `label`, with their hashes.
    func members(of label: String) throws -> [(id: Int64, sha: [UInt8])]
    /// The other ends of the content's near links.
    func neighbours(of id: Int64) throws -> [Int64]
    /// The number of the content's near links.
    func degree(of id: Int64) throws -> Int
    /// Removes the content's near links and returns them.
    func removeLinks(of id: Int64) throws -> [NearLink]
    /// Stores a near link (replacing one between the same two contents).
    func addLink(_ link: NearLink) throws
    /// Labels one content (nil: detached).
    func setLabel(_ label: String?, of id: Int64) throws
    /// Relabels every content labelled `from`; returns their ids.
    func relabel(_ from: String, to: String) throws -> [Int64]
    /// The cluster's size in identity groups (1 when it has no record).
    func groups(of label: String) throws -> Int
    /// Records the cluster's size in identity groups.
    func setGroups(_ groups: Int, of label: String) throws
    /// The content's `MinHashSketch`, nil when none is stored.
    func sketch(of id: Int64) throws -> MinHashSketch?
    /// The content's fingerprint text (its normalised body), nil when it has none.
    func fingerprintText(of id: Int64) throws -> String?
    /// Appends the newest `perKey` committed contents filed under each of `keys` to `result`.
    func committedCandidates(keys: [UInt32], perKey: Int, into result: inout [UInt32]) throws
}

/// A content as cluster maintenance sees it.
public struct ClusterNode: Equatable {
    public var label: String?
    public var norm: [UInt8]?
    public var sha: [UInt8]

    public init(label: String?, norm: [UInt8]?, sha: [UInt8]) {
        self.label = label
        self.norm = norm
        self.sha = sha
    }
}

/// A verified near-duplicate link between two contents.
public struct NearLink: Equatable {
    public var a: Int64
    public var b: Int64
    public var jaccard: Double
    public var containment: Double
    /// `Similarity.strength`, what the clusterer weighs.
    public var strength: Double

    public init(_ a: Int64, _ b: Int64, jaccard: Double, containment: Double, strength: Double) {
        self.a = min(a, b)
        self.b = max(a, b)
        self.jaccard = jaccard
        self.containment = containment
        self.strength = min(1, max(0, strength))
    }

    init(_ a: Int64, _ b: Int64, _ similarity: Similarity) {
        self.init(
            a, b, jaccard: similarity.jaccard, containment: similarity.containment,
            strength: similarity.strength)
    }

    /// The same link with its end `from` moved to `to`.
    func moved(from: Int64, to: Int64) -> NearLink {
        NearLink(other(than: from), to, jaccard: jaccard, containment: containment, strength: strength)
    }

    /// The end that is not `id`.
    func other(than id: Int64) -> Int64 { a == id ? b : a }
}
