/// The clusters of two or more files, largest first (then by id), as of one sequence number:
/// `status` counts them and `clusters` pages through them without grouping every file of the
/// catalogue again while it is unchanged. Ids are held as the numbers their 16 hex digits
/// spell, 8 bytes each rather than a string's 48.
struct ClusterOrder: Sendable {
    /// The sequence number the order was read at.
    let seq: Int64
    /// When it was read (monotonic nanoseconds).
    let at: UInt64
    private let ids: [UInt64]

    /// Nil when an id is not 16 lowercase hex digits, which would not come back as it is (the
    /// order is then not kept).
    init?(seq: Int64, at: UInt64, ids: [String]) {
        var numbers: [UInt64] = []
        numbers.reserveCapacity(ids.count)
        for id in ids {
            guard id.utf8.count == 16,
                id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
                let number = UInt64(id, radix: 16)
            else { return nil }
            numbers.append(number)
        }
        self.seq = seq
        self.at = at
        self.ids = numbers
    }

    var count: Int { ids.count }

    /// The ids of `limit` clusters from `offset`.
    func page(offset: Int, limit: Int) -> [String] {
        let start = min(max(0, offset), ids.count)
        return ids[start..<min(ids.count, start + max(0, limit))].map { id in
            let digits = String(id, radix: 16)
            return String(repeating: "0", count: 16 - digits.utf8.count) + digits
        }
    }
}
