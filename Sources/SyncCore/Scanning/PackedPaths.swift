/// Paths kept back to back in one buffer, for the start-up pass's list of files to read.
///
/// As separate `RelativePath`s, 100,000 paths of about 45 bytes were 100,000 heap blocks of
/// 80-100 bytes each (a Swift array's header, malloc's, rounding): 7 MiB held at the start of
/// a cold ingest, its memory peak. Here they take their bytes and an offset each, and a batch
/// becomes `RelativePath`s only when its read starts.
struct PackedPaths {
    private var bytes: [UInt8] = []
    /// The end offset of each path in `bytes`.
    private var ends: [Int] = []

    /// Packs `paths` in their order.
    init(_ paths: [RelativePath]) {
        bytes.reserveCapacity(paths.reduce(0) { $0 + $1.bytes.count })
        ends.reserveCapacity(paths.count)
        for path in paths {
            bytes.append(contentsOf: path.bytes)
            ends.append(bytes.count)
        }
    }

    /// The number of paths.
    var count: Int { ends.count }

    /// The paths at `positions`, as `RelativePath`s.
    func paths(_ positions: Range<Int>) -> [RelativePath] {
        positions.map { index in
            let start = index == 0 ? 0 : ends[index - 1]
            return RelativePath(bytes: Array(bytes[start..<ends[index]]))
        }
    }
}
