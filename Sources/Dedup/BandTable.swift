/// Which contents share an LSH band key: the near-duplicate candidate index, in memory.
///
/// One sorted `UInt64` per (band key, content): the 31-bit key above the 32-bit content id,
/// so a key's contents are one contiguous run found by binary search (in the bulk, and in
/// the small run of recent additions). Eight bytes per entry
/// (42 per article: 5.3 MiB for the 15,763-article corpus) against the B-tree of the same
/// entries in SQLite, whose random inserts and 42-range lookups would be a third of a cold
/// ingest's writer time. The catalogue keeps every content's keys (`content_bands`), from
/// which the table is built.
public struct BandTable: Sendable {
    /// Sorted entries, `key << 32 | content`: the bulk of the table, cut by the key's top
    /// `partitionBits` bits into runs that are merged one at a time. As one run, merging the
    /// recent additions would make a second copy of the whole table (31 MB at 47,000
    /// articles).
    private var base: [[UInt64]]
    /// Sorted entries added since they were last merged into `base`. Merging every small
    /// transaction into `base` copied the table per new article; a small second run absorbs
    /// them and joins `base` once it passes `recentLimit`.
    private var recent: [UInt64] = []
    /// Entries `recent` may hold before it is merged into `base`.
    static let recentLimit = 16_384
    /// Top bits of the 31-bit key that pick an entry's run in `base`.
    static let partitionBits = 8

    /// The key as the table and the catalogue store it: a band key's low 31 bits.
    static func storedKey(_ key: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: key) & 0x7FFF_FFFF }

    /// One entry; `content` must fit in 32 bits (content ids are SQLite rowids, counted up
    /// from 1; the catalogue refuses larger ones before they get here).
    public static func entry(key: UInt32, content: Int64) -> UInt64 {
        UInt64(key) << 32 | UInt64(UInt32(truncatingIfNeeded: content))
    }

    /// The run of `base` that holds entries of `key` (stored keys are 31 bits).
    private static func partition(ofKey key: UInt32) -> Int { Int(key >> (31 - partitionBits)) }
    private static func partition(ofEntry entry: UInt64) -> Int {
        partition(ofKey: UInt32(truncatingIfNeeded: entry >> 32))
    }

    /// A table over `entries` in any order.
    public init(entries: [UInt64] = []) {
        base = Array(repeating: [], count: 1 << BandTable.partitionBits)
        BandTable.mergeIntoBase(&base, entries.sorted())
    }

    /// Every entry, sorted.
    public var entries: [UInt64] { BandTable.merge(Array(base.joined()), recent) }

    /// The number of entries.
    public var count: Int { base.reduce(0) { $0 + $1.count } + recent.count }

    /// Appends the newest (highest-id) `limit` contents filed under `key`, from the bulk and
    /// from the recent additions each, to `result`: a candidate lookup that costs the same
    /// whether the key holds ten contents or a story republished ten thousand times.
    public func contents(withKey key: UInt32, newest limit: Int, into result: inout [UInt32]) {
        BandTable.collectNewest(key, limit: limit, in: base[BandTable.partition(ofKey: key)], into: &result)
        BandTable.collectNewest(key, limit: limit, in: recent, into: &result)
    }

    private static func collectNewest(
        _ key: UInt32, limit: Int, in run: [UInt64], into result: inout [UInt32]
    ) {
        let start = firstIndex(in: run, notBelow: UInt64(key) << 32)
        let end = firstIndex(in: run, notBelow: (UInt64(key) + 1) << 32)
        for index in stride(from: end - 1, through: max(start, end - limit), by: -1) {
            result.append(UInt32(truncatingIfNeeded: run[index]))
        }
    }

    /// Adds the contents filed under `key` to `result`.
    public func contents(withKey key: UInt32, into result: inout Set<Int64>) {
        BandTable.collect(key, in: base[BandTable.partition(ofKey: key)], into: &result)
        BandTable.collect(key, in: recent, into: &result)
    }

    /// Drops the entries of the `removed` contents (each with the keys it was stored under, as
    /// `content_bands` has them), then adds `added`. Found by key, each in its run: a filter of
    /// every run cost any transaction that removed or re-analysed one content a pass over the
    /// whole table (13 ms for the 68 re-analyses at the end of a cold scan of the corpus).
    public mutating func apply(added: [UInt64], removed: [UInt32: [UInt32]]) {
        for (content, keys) in removed {
            for key in keys {
                let entry = BandTable.entry(key: key, content: Int64(content))
                if !BandTable.remove(entry, from: &recent) {
                    BandTable.remove(entry, from: &base[BandTable.partition(ofKey: key)])
                }
            }
        }
        guard !added.isEmpty else { return }
        recent = BandTable.merge(recent, added.sorted())
        if recent.count > BandTable.recentLimit {
            BandTable.mergeIntoBase(&base, recent)
            recent = []
        }
    }

    /// Merges sorted `entries` into the runs of `base`, one run at a time.
    private static func mergeIntoBase(_ base: inout [[UInt64]], _ entries: [UInt64]) {
        var start = 0
        while start < entries.count {
            let run = partition(ofEntry: entries[start])
            var end = start + 1
            while end < entries.count, partition(ofEntry: entries[end]) == run { end += 1 }
            base[run] = merge(base[run], Array(entries[start..<end]))
            start = end
        }
    }

    /// Removes one `entry` from the sorted `run`; false when it holds none.
    @discardableResult
    private static func remove(_ entry: UInt64, from run: inout [UInt64]) -> Bool {
        let index = firstIndex(in: run, notBelow: entry)
        guard index < run.count, run[index] == entry else { return false }
        run.remove(at: index)
        return true
    }

    /// Adds the contents of `key`'s entries in `run` (sorted entries) to `result`.
    private static func collect(_ key: UInt32, in run: [UInt64], into result: inout Set<Int64>) {
        var index = firstIndex(in: run, notBelow: UInt64(key) << 32)
        while index < run.count, run[index] >> 32 == UInt64(key) {
            result.insert(Int64(run[index] & 0xFFFF_FFFF))
            index += 1
        }
    }

    /// Two sorted runs as one, in a single pass.
    private static func merge(_ first: [UInt64], _ second: [UInt64]) -> [UInt64] {
        if second.isEmpty { return first }
        if first.isEmpty { return second }
        var merged: [UInt64] = []
        merged.reserveCapacity(first.count + second.count)
        var i = 0
        var j = 0
        while i < first.count, j < second.count {
            if first[i] <= second[j] {
                merged.append(first[i])
                i += 1
            } else {
                merged.append(second[j])
                j += 1
            }
        }
        merged.append(contentsOf: first[i...])
        merged.append(contentsOf: second[j...])
        return merged
    }

    /// The first index of sorted `run` whose entry is not below `value`.
    ///
    /// A branch-free binary search (each step a conditional move, not a jump the CPU must
    /// guess): a key's place is a coin toss at every step. In a cold scan of the corpus this
    /// search is 1.2% of all samples; a guess from the values (interpolation) takes 2.9%: the
    /// runs are in cache, and its division costs more than the steps it saves.
    static func firstIndex(in run: [UInt64], notBelow value: UInt64) -> Int {
        run.withUnsafeBufferPointer { entries in
            var length = entries.count
            if length == 0 { return 0 }
            // The answer lies in base...base + length.
            var base = 0
            while length > 1 {
                let half = length / 2
                base = entries[base + half] < value ? base + half : base
                length -= half
            }
            return entries[base] < value ? base + 1 : base
        }
    }

    /// A content's keys as the catalogue stores them: 4 bytes each, little-endian.
    public static func encode(_ keys: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(keys.count * 4)
        for key in keys {
            withUnsafeBytes(of: key.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// The keys of an `encode`d blob (a trailing partial key is ignored).
    public static func decode(_ bytes: [UInt8]) -> [UInt32] {
        stride(from: 0, to: bytes.count - bytes.count % 4, by: 4).map { offset in
            UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
        }
    }
}
