/// In-place sort of 64-bit hash values, for shingle arrays.
///
/// The standard library's sort is a stable merge sort with comparator calls. Shingle
/// hashes are uniformly spread, so a bucket pass on the top bits (about one value per
/// bucket) followed by an insertion sort that only fixes neighbours is linear in practice
/// and several times faster at the sizes of news articles.
enum HashSort {
    /// Sorts `values` ascending (any input is sorted correctly; uniform input is fast).
    static func sort(_ values: inout [UInt64]) {
        let count = values.count
        guard count > 32 else {
            values.sort()
            return
        }
        var bits = 1
        // At most 2^16 buckets (512 KiB of counts): enough for one value per bucket in any
        // article; a multi-megabyte text gets a few values per bucket instead of 8 MiB of them.
        while (1 << bits) < count && bits < 16 { bits += 1 }
        let shift = UInt64(64 - bits)
        var starts = [Int](repeating: 0, count: (1 << bits) + 1)
        var scratch = [UInt64](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { source in
            scratch.withUnsafeMutableBufferPointer { target in
                starts.withUnsafeMutableBufferPointer { bucket in
                    for value in source { bucket[Int(value >> shift) + 1] += 1 }
                    for index in 1..<bucket.count { bucket[index] += bucket[index - 1] }
                    for value in source {
                        let b = Int(value >> shift)
                        target[bucket[b]] = value
                        bucket[b] += 1
                    }
                }
                // Insertion sort: each value is already in its bucket, so it moves at most
                // past the few values sharing that bucket.
                for index in 1..<count {
                    let value = target[index]
                    var position = index
                    while position > 0 && target[position - 1] > value {
                        target[position] = target[position - 1]
                        position -= 1
                    }
                    target[position] = value
                }
            }
        }
        values = scratch
    }
}
