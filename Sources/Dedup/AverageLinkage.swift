/// Greedy average-linkage agglomeration over a sparse weighted graph, with a coverage rule.
///
/// Clusters start as single groups. Pairs of adjacent clusters are taken in order of
/// their average link (sum S of the weights between them / product of sizes), highest
/// first; a pair merges when S / (|P|·|Q|) ≥ `threshold` and S / min(|P|, |Q|) ≥
/// `coverage`. A pair that fails is looked at again whenever either side changes. Stale
/// heap entries are skipped by version numbers, so the cost is about O(E log E).
enum AverageLinkage {
    /// Returns, for each group, the index of the cluster it ended in (a representative group).
    static func merge(groupCount: Int, weights: [GroupPair: Double], threshold: Double, coverage: Double)
        -> [Int]
    {
        var links = [[Int: Double]](repeating: [:], count: groupCount)
        for (pair, weight) in weights {
            links[pair.low][pair.high, default: 0] += weight
            links[pair.high][pair.low, default: 0] += weight
        }
        var size = [Int](repeating: 1, count: groupCount)
        var version = [Int](repeating: 0, count: groupCount)
        var alive = [Bool](repeating: true, count: groupCount)
        var owner = Array(0..<groupCount)
        var heap = Heap()
        for (pair, weight) in weights where weight >= threshold {
            heap.push(Candidate(score: weight, a: pair.low, b: pair.high, versionA: 0, versionB: 0))
        }

        while let top = heap.pop() {
            guard top.score >= threshold else { break }
            guard alive[top.a], alive[top.b], version[top.a] == top.versionA, version[top.b] == top.versionB
            else { continue }
            let link = links[top.a][top.b] ?? 0
            guard link / Double(min(size[top.a], size[top.b])) >= coverage else { continue }
            // Merge the smaller link map into the larger cluster's.
            var keep = top.a
            var gone = top.b
            if links[keep].count < links[gone].count { swap(&keep, &gone) }
            alive[gone] = false
            owner[gone] = keep
            size[keep] += size[gone]
            version[keep] += 1
            let moved = links[gone]
            links[gone] = [:]
            links[keep][gone] = nil
            for (neighbour, weight) in moved where neighbour != keep {
                links[keep][neighbour, default: 0] += weight
                links[neighbour][gone] = nil
                links[neighbour][keep, default: 0] += weight
            }
            for (neighbour, weight) in links[keep] {
                let score = weight / Double(size[keep] * size[neighbour])
                if score >= threshold {
                    heap.push(
                        Candidate(
                            score: score, a: keep, b: neighbour, versionA: version[keep],
                            versionB: version[neighbour]))
                }
            }
        }

        // Resolve owners to final representatives.
        var result = [Int](repeating: 0, count: groupCount)
        for group in 0..<groupCount {
            var node = group
            while owner[node] != node { node = owner[node] }
            result[group] = node
        }
        return result
    }

    /// A possible merge, ordered by score, then by the lower ids for determinism.
    struct Candidate {
        let score: Double
        let a: Int
        let b: Int
        let versionA: Int
        let versionB: Int

        func outranks(_ other: Candidate) -> Bool {
            if score != other.score { return score > other.score }
            let mine = (min(a, b), max(a, b))
            let theirs = (min(other.a, other.b), max(other.a, other.b))
            return mine < theirs
        }
    }

    /// A binary max-heap of candidates.
    struct Heap {
        private var items: [Candidate] = []

        mutating func push(_ item: Candidate) {
            items.append(item)
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard items[child].outranks(items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> Candidate? {
            guard let first = items.first else { return nil }
            let last = items.removeLast()
            if !items.isEmpty {
                items[0] = last
                var parent = 0
                while true {
                    let left = 2 * parent + 1
                    let right = left + 1
                    var best = parent
                    if left < items.count, items[left].outranks(items[best]) { best = left }
                    if right < items.count, items[right].outranks(items[best]) { best = right }
                    if best == parent { break }
                    items.swapAt(parent, best)
                    parent = best
                }
            }
            return first
        }
    }
}
