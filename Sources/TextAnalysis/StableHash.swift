/// Fixed, seedless 64-bit hashes used for shingles, line keys and LSH band keys.
///
/// Swift's `Hasher` is seeded per process, so anything stored in the catalogue or
/// compared across runs must use these instead.
public enum StableHash {
    /// FNV-1a 64 offset basis.
    static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    /// FNV-1a 64 prime.
    static let fnvPrime: UInt64 = 0x100_0000_01B3

    /// FNV-1a 64 over bytes: simple to reproduce in any language (the Python oracle does).
    static func fnv1a64<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash = fnvOffset
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* fnvPrime
        }
        return hash
    }

    /// FNV-1a 64 over the UTF-8 bytes of a string.
    static func fnv1a64(_ string: String) -> UInt64 {
        var copy = string
        return copy.withUTF8 { fnv1a64($0) }
    }

    /// MurmurHash3's 64-bit finaliser: a fixed avalanching bijection (datasketch's pre-mix).
    @inlinable
    public static func fmix64(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
