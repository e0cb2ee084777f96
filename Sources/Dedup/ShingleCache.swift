import TextAnalysis

/// Fingerprint shingles computed in one transaction, by content id, bounded by the values it
/// holds (2 MiB). Bounded by values, not entries: a text at the analysed-prefix limit has
/// ~250,000 shingles, and six republications of the corpus's 2.2 MB `index.tsv` in one
/// transaction held 13 MB of a 100,000-file cold start's peak when the cache counted 64
/// entries.
///
/// The least recently used entries go first when it is full: every new copy of a story in a
/// batch is verified against the same newest copies of the batch before it, which a cache
/// emptied whole (or oldest first) when full kept computing again.
struct ShingleCache {
    static let budget = 1 << 18
    private var entries: [Int64: (shingles: [UInt64], use: Int)] = [:]
    /// Uses in order, oldest first from `head`; a use older than its entry's last is stale.
    private var uses: [(id: Int64, use: Int)] = []
    private var head = 0
    private var clock = 0
    private var values = 0

    /// The shingles of content `id` if they are cached.
    mutating func cached(_ id: Int64) -> [UInt64]? {
        guard let entry = entries[id] else { return nil }
        touch(id)
        return entry.shingles
    }

    /// The shingles of content `id`, computed from its fingerprint text `text` unless cached.
    mutating func shingles(of id: Int64, text: String) -> [UInt64] {
        if let cached = cached(id) { return cached }
        let computed = Shingler.shingles(ofNormalized: text)
        let size = computed.capacity
        guard size <= ShingleCache.budget / 4 else { return computed }
        while values + size > ShingleCache.budget, head < uses.count {
            let use = uses[head]
            head += 1
            if let entry = entries[use.id], entry.use == use.use {
                entries[use.id] = nil
                values -= entry.shingles.capacity
            }
        }
        entries[id] = (computed, 0)
        values += size
        touch(id)
        return computed
    }

    private mutating func touch(_ id: Int64) {
        clock += 1
        let use = clock
        entries[id]?.use = use
        uses.append((id, use))
        if head > 4096, head * 2 > uses.count {
            uses.removeFirst(head)
            head = 0
        }
    }

    /// Forgets content `id` (its text changed).
    mutating func forget(_ id: Int64) {
        if let stale = entries.removeValue(forKey: id) { values -= stale.shingles.capacity }
    }
}
