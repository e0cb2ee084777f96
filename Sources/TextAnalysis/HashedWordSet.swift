/// A read-only set of 64-bit word hashes (FNV-1a), with open addressing on the hash bits.
///
/// `Set<UInt64>` runs SipHash on every lookup; the keys here are already well-mixed
/// hashes, so their low bits index the table directly. Lookups happen per token of every
/// article (function words, stopwords), where this is several times cheaper.
struct HashedWordSet: Sendable {
    private let slots: [UInt64]
    private let mask: Int

    /// Builds the set from word hashes.
    init<S: Sequence>(_ hashes: S) where S.Element == UInt64 {
        let unique = Set(hashes.map(Self.nonZero))
        var capacity = 16
        while capacity < unique.count * 4 { capacity *= 2 }
        var slots = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        for hash in unique {
            var index = Int(truncatingIfNeeded: hash) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = hash
        }
        self.slots = slots
        self.mask = mask
    }

    /// Whether `hash` is in the set.
    @inline(__always)
    func contains(_ hash: UInt64) -> Bool {
        let key = Self.nonZero(hash)
        var index = Int(truncatingIfNeeded: key) & mask
        while true {
            let slot = slots[index]
            if slot == key { return true }
            if slot == 0 { return false }
            index = (index + 1) & mask
        }
    }

    /// 0 marks an empty slot, so a zero hash is stored as 1 (a harmless merge of two keys).
    @inline(__always)
    private static func nonZero(_ hash: UInt64) -> UInt64 {
        hash == 0 ? 1 : hash
    }

    /// Union of two sets.
    func union(_ other: HashedWordSet) -> HashedWordSet {
        HashedWordSet(slots.filter { $0 != 0 } + other.slots.filter { $0 != 0 })
    }
}
