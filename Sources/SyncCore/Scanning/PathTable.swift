/// Something filed under a path: what the filesystem or the catalogue says of one path.
protocol PathKeyed {
    var path: RelativePath { get }
}

extension WalkedEntry: PathKeyed {}
extension CatalogEntry: PathKeyed {}

/// The reconcile's map of what the filesystem (or the catalogue) says, path by path: the
/// elements sorted by path and found by binary search, plus a small dictionary for the few
/// added afterwards (hard-link siblings).
///
/// A `Dictionary` of 100,000 stats took 25 MB at a cold start on 100,000 files, most of that
/// start's heap peak (its buckets double past three quarters full, and it lived beside the
/// walk's array it was built from); sorted in place, the walk's own array takes 6.4 MB.
struct PathTable<Element: PathKeyed> {
    private var sorted: [Element]
    private var added: [RelativePath: Element] = [:]

    /// A table of `elements` (any order; kept as they are when already sorted).
    init(_ elements: [Element]) {
        sorted = elements
        if !sorted.isSorted(by: { $0.path < $1.path }) { sorted.sort { $0.path < $1.path } }
    }

    /// The element filed under `path`.
    subscript(path: RelativePath) -> Element? {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].path < path { low = middle + 1 } else { high = middle }
        }
        if low < sorted.count, sorted[low].path == path { return sorted[low] }
        return added[path]
    }

    /// Files `element` under its path (which must not be in the table yet).
    mutating func add(_ element: Element) { added[element.path] = element }

    /// Calls `body` with every element: the sorted ones in order, then the added ones.
    func forEachEntry(_ body: (Element) throws -> Void) rethrows {
        for element in sorted { try body(element) }
        for element in added.values { try body(element) }
    }
}

extension Array {
    /// Whether the elements are in the order `areInIncreasingOrder` gives (equal neighbours allowed).
    fileprivate func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        for index in indices.dropFirst() where areInIncreasingOrder(self[index], self[index - 1]) {
            return false
        }
        return true
    }
}
