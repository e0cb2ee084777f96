/// Fingerprint shingles: character 9-grams over the normalised token stream with the
/// spaces removed, each hashed with FNV-1a 64 over its UTF-8 bytes.
///
/// Compared with word 5-grams on real sw/en/ar/fa articles, they keep a Persian article
/// written with ZWNJ as a space at Jaccard 1.00 (word 5-grams: .32) and hold up better under
/// edits and chrome changes in all four languages.
public enum Shingler {
    /// Characters (Unicode scalars of the normalised text) per shingle.
    public static let width = 9

    /// Sorted, unique shingle hashes of an already normalised text. A stream shorter than
    /// `width` gives one shingle (the whole stream); an empty stream gives none.
    public static func shingles(ofNormalized text: String) -> [UInt64] {
        var stream: [UInt8] = []
        stream.reserveCapacity(text.utf8.count)
        for byte in text.utf8 where byte != 0x20 { stream.append(byte) }
        return shingles(ofStream: stream)
    }

    /// Sorted, unique shingle hashes of a UTF-8 token stream without spaces.
    static func shingles(ofStream stream: [UInt8]) -> [UInt64] {
        var hashes = windowHashes(ofStream: stream)
        HashSort.sort(&hashes)
        uniqueSortedInPlace(&hashes)
        // A repetitive text (a table, a list) has far fewer distinct shingles than windows, and
        // the array would keep its window-sized storage as long as the shingles are kept: for
        // six copies of the corpus's 2.2 MB TSV, such arrays in the writer's shingle cache (which
        // counts their shingles, not their size) would hold 10.5 MB of its heap peak (heaptrack).
        if hashes.capacity > 2 * hashes.count + 64 {
            hashes = hashes.withUnsafeBufferPointer { Array($0) }
        }
        return hashes
    }

    /// The most windows a text's analysis sorts to count its distinct shingles: an article's
    /// body is a few thousand; past this (a 30 MB text's analysed prefix has about 250,000),
    /// the sort's scratch would add to the readers' peak memory and its pairs are weighed as of
    /// unknown size.
    static let countedWindows = 1 << 16

    /// Whether `hashes` holds at least `count` distinct values; stops as soon as it has seen
    /// them (in an article, after the first few dozen).
    static func hasDistinct(_ hashes: [UInt64], atLeast count: Int) -> Bool {
        guard hashes.count >= count else { return false }
        var seen = Set<UInt64>(minimumCapacity: count)
        for hash in hashes {
            seen.insert(hash)
            if seen.count >= count { return true }
        }
        return false
    }

    /// The number of distinct values of a sorted array: the size of the shingle set its
    /// windows make.
    static func distinctCount(ofSorted hashes: [UInt64]) -> Int {
        guard var previous = hashes.first else { return 0 }
        var count = 1
        for hash in hashes.dropFirst() where hash != previous {
            count += 1
            previous = hash
        }
        return count
    }

    /// The FNV-1a hash of every window of `width` scalars of a UTF-8 token stream without
    /// spaces, in stream order: `shingles(ofStream:)` before sorting and de-duplication.
    /// (A function of its own so that the offsets table is freed before the sort: a 2 MB
    /// text file would make a 65 MB peak if every buffer lived to the end.)
    static func windowHashes(ofStream stream: [UInt8]) -> [UInt64] {
        guard !stream.isEmpty else { return [] }
        // Start offsets of every scalar (UTF-8 lead bytes), plus the end. 32 bits suffice: the
        // reader never hands over more than the size limit, far below 4 GiB.
        var starts: [UInt32] = []
        starts.reserveCapacity(stream.count + 1)
        for (offset, byte) in stream.enumerated() where byte & 0xC0 != 0x80 {
            starts.append(UInt32(truncatingIfNeeded: offset))
        }
        let scalars = starts.count
        starts.append(UInt32(truncatingIfNeeded: stream.count))
        if scalars < width {
            return [StableHash.fnv1a64(stream)]
        }
        var hashes: [UInt64] = []
        hashes.reserveCapacity(scalars - width + 1)
        let windows = scalars - width + 1
        stream.withUnsafeBufferPointer { bytes in
            starts.withUnsafeBufferPointer { start in
                // FNV-1a is a chain of dependent multiplies; four windows hashed side by
                // side keep the multiplier busy. Their common length runs in lockstep,
                // the rest of each window alone.
                var first = 0
                while first + 4 <= windows {
                    let s0 = Int(start[first])
                    let s1 = Int(start[first + 1])
                    let s2 = Int(start[first + 2])
                    let s3 = Int(start[first + 3])
                    let l0 = Int(start[first + width]) - s0
                    let l1 = Int(start[first + 1 + width]) - s1
                    let l2 = Int(start[first + 2 + width]) - s2
                    let l3 = Int(start[first + 3 + width]) - s3
                    let common = min(min(l0, l1), min(l2, l3))
                    var h0 = StableHash.fnvOffset
                    var h1 = StableHash.fnvOffset
                    var h2 = StableHash.fnvOffset
                    var h3 = StableHash.fnvOffset
                    for k in 0..<common {
                        h0 = (h0 ^ UInt64(bytes[s0 + k])) &* StableHash.fnvPrime
                        h1 = (h1 ^ UInt64(bytes[s1 + k])) &* StableHash.fnvPrime
                        h2 = (h2 ^ UInt64(bytes[s2 + k])) &* StableHash.fnvPrime
                        h3 = (h3 ^ UInt64(bytes[s3 + k])) &* StableHash.fnvPrime
                    }
                    for k in common..<l0 { h0 = (h0 ^ UInt64(bytes[s0 + k])) &* StableHash.fnvPrime }
                    for k in common..<l1 { h1 = (h1 ^ UInt64(bytes[s1 + k])) &* StableHash.fnvPrime }
                    for k in common..<l2 { h2 = (h2 ^ UInt64(bytes[s2 + k])) &* StableHash.fnvPrime }
                    for k in common..<l3 { h3 = (h3 ^ UInt64(bytes[s3 + k])) &* StableHash.fnvPrime }
                    hashes.append(h0)
                    hashes.append(h1)
                    hashes.append(h2)
                    hashes.append(h3)
                    first += 4
                }
                while first < windows {
                    var hash = StableHash.fnvOffset
                    for offset in Int(start[first])..<Int(start[first + width]) {
                        hash = (hash ^ UInt64(bytes[offset])) &* StableHash.fnvPrime
                    }
                    hashes.append(hash)
                    first += 1
                }
            }
        }
        return hashes
    }

    /// Removes adjacent duplicates of a sorted array, in place.
    static func uniqueSortedInPlace(_ values: inout [UInt64]) {
        guard values.count > 1 else { return }
        var kept = 1
        for index in 1..<values.count where values[index] != values[kept - 1] {
            values[kept] = values[index]
            kept += 1
        }
        values.removeLast(values.count - kept)
    }
}
