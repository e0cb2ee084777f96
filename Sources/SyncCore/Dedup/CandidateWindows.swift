/// This transaction's contents by LSH band key, the newest few of each key: where a content
/// added in a transaction finds the candidates added before it in the same transaction.
///
/// Each key keeps a ring of `NearLinkPolicy.transactionCandidatesPerKey` content ids stored
/// inline (no array per key), so a transaction of a thousand copies of one story costs a
/// thousand small updates, not the million pairs that listing every sharer would.
struct CandidateWindows {
    private struct Ring {
        var ids = SIMD8<UInt32>()
        var count: UInt8 = 0
        var next: UInt8 = 0
    }

    private var rings: [UInt32: Ring] = [:]

    /// Files `content` under each of `keys`, pushing out the oldest of a full ring.
    mutating func add(_ content: UInt32, keys: [UInt32]) {
        for key in keys {
            var ring = rings[key] ?? Ring()
            ring.ids[Int(ring.next)] = content
            ring.next = (ring.next + 1) % UInt8(SIMD8<UInt32>.scalarCount)
            ring.count = min(ring.count + 1, UInt8(SIMD8<UInt32>.scalarCount))
            rings[key] = ring
        }
    }

    /// Appends the contents filed under each of `keys` to `result`.
    func contents(withKeys keys: [UInt32], into result: inout [UInt32]) {
        for key in keys {
            guard let ring = rings[key] else { continue }
            for index in 0..<Int(ring.count) { result.append(ring.ids[index]) }
        }
    }
}
