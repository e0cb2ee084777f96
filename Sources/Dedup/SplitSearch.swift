/// Whether the neighbours of a removed node still hang together, at a cost bounded by what
/// the removed node alone held together.
///
/// One breadth-first search starts from each neighbour; they take turns, one node each, and
/// two searches that reach the same node become one. A search that runs out of nodes has
/// found a whole connected component. The searches stop as soon as at most one is still
/// running: that one is the rest of the cluster, which is never walked in full. So a removed
/// copy of a story republished ten thousand times costs the few steps its neighbours need to
/// meet, and a removed hub that held two halves together costs the smaller half (the idea of
/// running the searches side by side and stopping at the smaller is Even and Shiloach's, for
/// deletions in a dynamic graph).
public enum SplitSearch {
    /// The components found.
    public struct Result: Sendable, Equatable {
        /// Every component the searches walked to its end, each sorted.
        public var closed: [[Int64]]
        /// True when one search was still running: the part of the graph it is in was not
        /// walked in full (it is none of `closed`).
        public var restOpen: Bool
        /// The nodes that search reached, in the order reached (its starts first).
        public var rest: [Int64] = []
    }

    /// Runs the searches from `starts` over `neighbours`.
    public static func components(from starts: [Int64], neighbours: (Int64) throws -> [Int64]) rethrows
        -> Result
    {
        var owner: [Int64: Int] = [:]
        var reached: [Int64] = []
        var searches = UnionFind(count: starts.count)
        var frontier: [[Int64]] = []
        var head: [Int] = []
        for (index, start) in starts.enumerated() {
            frontier.append([])
            head.append(0)
            if let other = owner[start] {
                searches.union(other, index)
            } else {
                owner[start] = index
                reached.append(start)
                frontier[index].append(start)
            }
        }
        func open(_ root: Int) -> Bool { head[root] < frontier[root].count }
        while true {
            let running = starts.indices.filter { searches.find($0) == $0 && open($0) }
            if running.count <= 1 {
                return result(
                    owner: owner, reached: reached, searches: &searches,
                    restOpen: running.count == 1 ? running[0] : nil)
            }
            for search in running where searches.find(search) == search && open(search) {
                let node = frontier[search][head[search]]
                head[search] += 1
                for next in try neighbours(node) {
                    let mine = searches.find(search)
                    if let seen = owner[next] {
                        let theirs = searches.find(seen)
                        guard theirs != mine else { continue }
                        searches.union(mine, theirs)
                        let joined = searches.find(mine)
                        let other = joined == mine ? theirs : mine
                        // The joined search carries on with both frontiers' unvisited nodes.
                        let rest = frontier[other][head[other]...]
                        frontier[joined] = Array(frontier[joined][head[joined]...]) + rest
                        head[joined] = 0
                        frontier[other] = []
                        head[other] = 0
                    } else {
                        owner[next] = mine
                        reached.append(next)
                        frontier[mine].append(next)
                    }
                }
            }
        }
    }

    private static func result(
        owner: [Int64: Int], reached: [Int64], searches: inout UnionFind, restOpen: Int?
    )
        -> Result
    {
        var parts: [Int: [Int64]] = [:]
        var rest: [Int64] = []
        for node in reached {
            guard let search = owner[node] else { continue }
            let root = searches.find(search)
            if root == restOpen { rest.append(node) } else { parts[root, default: []].append(node) }
        }
        let closed = parts.values.map { $0.sorted() }.sorted { ($0.first ?? 0) < ($1.first ?? 0) }
        return Result(closed: closed, restOpen: restOpen != nil, rest: rest)
    }
}
