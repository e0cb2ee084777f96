/// Fingerprint shingles computed in one transaction, by content id, bounded by the values it
/// holds (2 MiB). Bounded by values, not entries: a text at the analysed-prefix limit has
/// ~250,000 shingles, and six republications of the corpus's 2.2 MB `index.tsv` in one
/// transaction held 13 MB of a 100,000-file cold start's peak when the cache counted 64
/// entries.
///
/// The oldest entries go first when it is full: the candidates of a new copy of a story are
/// the copies just before it, so a cache emptied whole when full recomputed a quarter of
/// them in a cold scan of a story's copies.
struct ShingleCache {
    static let budget = 1 << 18
    private var entries: [Int64: [UInt64]] = [:]
    /// Cached ids, oldest first from `head`.
    private var order: [Int64] = []
    private var head = 0
    private var values = 0

    /// The shingles of content `id` if they are cached.
    func cached(_ id: Int64) -> [UInt64]? { entries[id] }

    /// The shingles of content `id`, computed from its fingerprint text `text` unless cached.
    mutating func shingles(of id: Int64, text: String) -> [UInt64] {
        if let cached = entries[id] { return cached }
        let computed = Shingler.shingles(ofNormalized: text)
        let size = computed.capacity
        guard size <= ShingleCache.budget / 4 else { return computed }
        while values + size > ShingleCache.budget, head < order.count {
            if let old = entries.removeValue(forKey: order[head]) { values -= old.capacity }
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        entries[id] = computed
        order.append(id)
        values += size
        return computed
    }

    /// Forgets content `id` (its text changed).
    mutating func forget(_ id: Int64) {
        if let stale = entries.removeValue(forKey: id) { values -= stale.capacity }
    }
}
