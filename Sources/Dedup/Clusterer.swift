/// The kind of evidence that two files hold the same article.
public enum DuplicateEdgeKind: Int, Sendable, Equatable, Codable {
    /// Same bytes (SHA-256).
    case exact = 0
    /// Same normalised text (`ArticleAnalysis.normalizedHash`).
    case normalized = 1
    /// A verified near-duplicate pair (`NearDuplicate.verify`).
    case near = 2
}

/// One edge between two nodes (file or content ids).
public struct DuplicateEdge: Sendable, Equatable, Codable {
    /// One end (the order of the ends does not matter).
    public var a: Int64
    /// The other end.
    public var b: Int64
    /// What the edge says.
    public var kind: DuplicateEdgeKind
    /// For near edges, `Similarity.strength` (0...1); ignored for exact and normalised edges.
    public var similarity: Double

    /// Creates an edge.
    public init(_ a: Int64, _ b: Int64, kind: DuplicateEdgeKind, similarity: Double = 1) {
        self.a = a
        self.b = b
        self.kind = kind
        self.similarity = similarity
    }
}

/// Duplicate clusters over exact, normalised and near edges, guarded against chaining.
///
/// Exact and normalised edges say "same text" and always merge: their nodes form identity
/// groups. Near edges then join groups, the pair of clusters with the highest average link
/// first. With S the sum of the near-edge strengths between clusters P and Q (a missing
/// edge counts 0), they merge when
///   * S / min(|P|, |Q|) ≥ `coverageThreshold` (0.5): the smaller side is, per group, well
///     linked to the other. One verified edge (strength ≥ 0.70) brings a single text into
///     a cluster, but never joins two clusters of two or more texts: that is the guard
///     against a roundup article or a quoted paragraph chaining two stories together;
///   * S / (|P|·|Q|) ≥ `averageLinkThreshold` (0.1): a cluster does not keep absorbing
///     texts that each resemble only one of its many members.
/// A republication cluster (copies that resemble each other) always passes; a star of
/// variants around one original (truncations, edits) passes up to about nine variants.
/// Sizes count identity groups, not files, so ten identical copies weigh like one text.
///
/// The result for a connected part of the edge graph depends only on the edges inside it.
/// Incremental use: after an add, change or delete, load the connected component (over
/// stored edges) that held the affected nodes, drop the removed node and its edges, and
/// call `clusters` on that neighbourhood; clusters elsewhere cannot change.
public enum Clusterer {
    /// Minimum S / min(|P|, |Q|) for two clusters to merge through near edges.
    static let coverageThreshold = 0.5
    /// Minimum average link S / (|P|·|Q|) for two clusters to merge through near edges.
    static let averageLinkThreshold = 0.1

    /// Clusters of `nodes` (every node appears in exactly one cluster, singletons
    /// included), each sorted ascending, the list sorted by first member. Edges naming
    /// nodes not in `nodes` are ignored.
    public static func clusters(nodes: [Int64], edges: [DuplicateEdge]) -> [[Int64]] {
        let ids = Array(Set(nodes)).sorted()
        var position: [Int64: Int] = [:]
        for (index, id) in ids.enumerated() { position[id] = index }

        // 1. Identity groups over exact and normalised edges.
        var groups = UnionFind(count: ids.count)
        for edge in edges where edge.kind != .near {
            if let x = position[edge.a], let y = position[edge.b] { groups.union(x, y) }
        }
        var groupOf = [Int](repeating: -1, count: ids.count)
        var groupCount = 0
        var rootToGroup: [Int: Int] = [:]
        for index in ids.indices {
            let root = groups.find(index)
            if let group = rootToGroup[root] {
                groupOf[index] = group
            } else {
                rootToGroup[root] = groupCount
                groupOf[index] = groupCount
                groupCount += 1
            }
        }

        // 2. Strongest near edge between each pair of groups.
        var weights: [GroupPair: Double] = [:]
        for edge in edges where edge.kind == .near {
            guard let x = position[edge.a], let y = position[edge.b] else { continue }
            let g = groupOf[x]
            let h = groupOf[y]
            guard g != h else { continue }
            let pair = GroupPair(g, h)
            weights[pair] = max(weights[pair] ?? 0, min(max(edge.similarity, 0), 1))
        }

        // 3. Average-linkage merging of groups.
        let clusterOfGroup = AverageLinkage.merge(
            groupCount: groupCount, weights: weights, threshold: averageLinkThreshold,
            coverage: coverageThreshold)

        var members: [Int: [Int64]] = [:]
        for index in ids.indices {
            members[clusterOfGroup[groupOf[index]], default: []].append(ids[index])
        }
        return members.values.map { $0.sorted() }.sorted { ($0.first ?? 0) < ($1.first ?? 0) }
    }
}

/// An unordered pair of group indices.
struct GroupPair: Hashable {
    let low: Int
    let high: Int

    init(_ a: Int, _ b: Int) {
        low = min(a, b)
        high = max(a, b)
    }
}

/// Union-find with path halving and union by size.
struct UnionFind {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int {
        var node = x
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }

    mutating func union(_ a: Int, _ b: Int) {
        var x = find(a)
        var y = find(b)
        guard x != y else { return }
        if size[x] < size[y] { swap(&x, &y) }
        parent[y] = x
        size[x] += size[y]
    }
}
