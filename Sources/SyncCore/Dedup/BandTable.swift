/// Which contents share an LSH band key: the near-duplicate candidate index, in memory.
///
/// One sorted `UInt64` per (band key, content): the 31-bit key above the 32-bit content id,
/// so a key's contents are one contiguous run found by binary search. Eight bytes per entry
/// (42 per article: 5.3 MiB for the 15,763-article corpus) against the B-tree of the same
/// entries in SQLite, whose random inserts and 42-range lookups were a third of a cold
/// ingest's writer time. The catalogue keeps every content's keys (`content_bands`), from
/// which the table is built.
public struct BandTable: Sendable, Equatable {
    /// Sorted entries, `key << 32 | content`.
    public private(set) var entries: [UInt64]

    /// The key as the table and the catalogue store it: a band key's low 31 bits.
    public static func storedKey(_ key: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: key) & 0x7FFF_FFFF }

    /// One entry; `content` must fit in 32 bits (content ids are SQLite rowids, counted up
    /// from 1; the catalogue refuses larger ones before they get here).
    public static func entry(key: UInt32, content: Int64) -> UInt64 {
        UInt64(key) << 32 | UInt64(UInt32(truncatingIfNeeded: content))
    }

    /// A table over `entries` in any order.
    public init(entries: [UInt64] = []) {
        self.entries = entries.sorted()
    }

    /// Adds the contents filed under `key` to `result`.
    public func contents(withKey key: UInt32, into result: inout Set<Int64>) {
        let low = UInt64(key) << 32
        var index = firstIndex(notBelow: low)
        while index < entries.count, entries[index] >> 32 == UInt64(key) {
            result.insert(Int64(entries[index] & 0xFFFF_FFFF))
            index += 1
        }
    }

    /// Drops every entry of the `removed` contents, then merges `added` in.
    public mutating func apply(added: [UInt64], removed: Set<UInt32>) {
        if !removed.isEmpty {
            entries.removeAll { removed.contains(UInt32(truncatingIfNeeded: $0)) }
        }
        guard !added.isEmpty else { return }
        let incoming = added.sorted()
        // A linear merge: one pass over the table, whatever the batch size.
        var merged: [UInt64] = []
        merged.reserveCapacity(entries.count + incoming.count)
        var i = 0
        var j = 0
        while i < entries.count, j < incoming.count {
            if entries[i] <= incoming[j] {
                merged.append(entries[i])
                i += 1
            } else {
                merged.append(incoming[j])
                j += 1
            }
        }
        merged.append(contentsOf: entries[i...])
        merged.append(contentsOf: incoming[j...])
        entries = merged
    }

    private func firstIndex(notBelow value: UInt64) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
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
