import TestSupport
import Testing

@testable import Dedup

/// Clusters over exact, normalised and near edges, with the anti-chaining guard.
struct DedupClustererTests {
    static func clique(_ ids: [Int64], similarity: Double = 0.85) -> [DuplicateEdge] {
        var edges: [DuplicateEdge] = []
        for (i, a) in ids.enumerated() {
            for b in ids[(i + 1)...] {
                edges.append(DuplicateEdge(a, b, kind: .near, similarity: similarity))
            }
        }
        return edges
    }

    @Test func exactAndNormalizedEdgesAlwaysMerge() {
        let edges = [
            DuplicateEdge(1, 2, kind: .exact), DuplicateEdge(2, 3, kind: .normalized),
            DuplicateEdge(5, 6, kind: .exact),
        ]
        #expect(Clusterer.clusters(nodes: [1, 2, 3, 4, 5, 6], edges: edges) == [[1, 2, 3], [4], [5, 6]])
    }

    @Test func republicationCliqueMerges() {
        // Six copies of one story on six sites, 13 of the 15 pairs verified.
        var edges = Self.clique([10, 11, 12, 13, 14, 15], similarity: 0.8)
        edges.removeAll { ($0.a, $0.b) == (10, 15) || ($0.a, $0.b) == (11, 14) }
        #expect(Clusterer.clusters(nodes: Array(10...15), edges: edges) == [[10, 11, 12, 13, 14, 15]])
    }

    @Test func oneWeakEdgeDoesNotChainTwoBigClusters() {
        var edges = Self.clique([1, 2, 3, 4]) + Self.clique([11, 12, 13, 14])
        edges.append(DuplicateEdge(4, 11, kind: .near, similarity: 0.72))
        #expect(
            Clusterer.clusters(nodes: [1, 2, 3, 4, 11, 12, 13, 14], edges: edges) == [
                [1, 2, 3, 4], [11, 12, 13, 14],
            ])
    }

    @Test func chainOfWeakEdgesDoesNotJoinTwoBigClusters() {
        // big1 ~ A ~ B ~ C ~ big2: A resembles one member of big1, C one member of big2.
        var edges = Self.clique([1, 2, 3, 4]) + Self.clique([11, 12, 13, 14])
        edges += [
            DuplicateEdge(4, 20, kind: .near, similarity: 0.72),
            DuplicateEdge(20, 21, kind: .near, similarity: 0.71),
            DuplicateEdge(21, 22, kind: .near, similarity: 0.72),
            DuplicateEdge(22, 11, kind: .near, similarity: 0.73),
        ]
        let clusters = Clusterer.clusters(nodes: [1, 2, 3, 4, 11, 12, 13, 14, 20, 21, 22], edges: edges)
        let big1 = clusters.first { $0.contains(1) } ?? []
        let big2 = clusters.first { $0.contains(11) } ?? []
        #expect(!big1.contains(11))
        #expect(Array(big1.prefix(4)) == [1, 2, 3, 4])
        #expect(Array(big2.filter { $0 >= 11 && $0 <= 14 }) == [11, 12, 13, 14])
    }

    @Test func variantOfTwoCopiesJoins() {
        // A copy pair and a third text similar to one of them only: a chain of three is fine.
        let edges = [
            DuplicateEdge(1, 2, kind: .near, similarity: 0.9),
            DuplicateEdge(2, 3, kind: .near, similarity: 0.8),
        ]
        #expect(Clusterer.clusters(nodes: [1, 2, 3], edges: edges) == [[1, 2, 3]])
    }

    @Test func removingTheMiddleNodeSplitsTheCluster() {
        let edges = [
            DuplicateEdge(1, 2, kind: .near, similarity: 0.9),
            DuplicateEdge(2, 3, kind: .near, similarity: 0.8),
        ]
        #expect(Clusterer.clusters(nodes: [1, 2, 3], edges: edges).count == 1)
        let remaining = edges.filter { $0.a != 2 && $0.b != 2 }
        #expect(Clusterer.clusters(nodes: [1, 3], edges: remaining) == [[1], [3]])
    }

    @Test func identicalCopiesWeighOnce() {
        // Ten byte-identical copies and one near variant linked to a single copy.
        var edges = (2...10).map { DuplicateEdge(1, Int64($0), kind: .exact) }
        edges.append(DuplicateEdge(7, 50, kind: .near, similarity: 0.75))
        #expect(Clusterer.clusters(nodes: Array(1...10) + [50], edges: edges) == [Array(1...10) + [50]])
    }

    @Test func resultDoesNotDependOnEdgeOrder() {
        var edges = Self.clique([1, 2, 3]) + Self.clique([4, 5, 6], similarity: 0.75)
        edges += [
            DuplicateEdge(3, 4, kind: .near, similarity: 0.9),
            DuplicateEdge(2, 5, kind: .near, similarity: 0.7),
            DuplicateEdge(7, 8, kind: .normalized), DuplicateEdge(8, 9, kind: .near, similarity: 0.95),
        ]
        let expected = Clusterer.clusters(nodes: Array(1...9), edges: edges)
        var generator = SplitMix64(seed: 5)
        for _ in 0..<20 {
            #expect(
                Clusterer.clusters(
                    nodes: Array(1...9).shuffled(using: &generator), edges: edges.shuffled(using: &generator))
                    == expected)
        }
    }

    @Test func unknownNodesAndSelfEdgesAreIgnored() {
        let edges = [DuplicateEdge(1, 99, kind: .exact), DuplicateEdge(2, 2, kind: .near, similarity: 0.9)]
        #expect(Clusterer.clusters(nodes: [1, 2], edges: edges) == [[1], [2]])
        #expect(Clusterer.clusters(nodes: [], edges: []).isEmpty)
    }
}
