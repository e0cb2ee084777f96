import Dedup

/// The near-duplicate candidate index: which contents share an LSH band key. In memory
/// (`BandTable`, 8 bytes an entry) while the catalogue's entries fit the memory budget, in a
/// file beside the catalogue (`BandFile`) once they do not, so that memory stays flat however
/// large the catalogue grows.
enum BandIndex {
    case memory(BandTable)
    case file(BandFile)

    /// Appends the newest `limit` contents filed under `key` to `result`.
    func contents(withKey key: UInt32, newest limit: Int, into result: inout [UInt32]) throws {
        switch self {
        case .memory(let table): table.contents(withKey: key, newest: limit, into: &result)
        case .file(let file): try file.contents(withKey: key, newest: limit, into: &result)
        }
    }
}

extension BandIndex? {
    /// Applies a committed transaction's band changes: entries `added`, and the entries of the
    /// `removed` contents under the keys given for each. Leaves nil (the index is rebuilt from
    /// the catalogue on next use) when the index outgrows its form: a memory table past
    /// `memoryLimit` entries, a file more than 80% full, a file that removals left short of a
    /// truncated key's newest entries, or a file change that failed.
    mutating func apply(added: [UInt64], removed: [UInt32: [UInt32]], memoryLimit: Int) {
        switch self {
        case .none:
            return
        case .memory(var table):
            // Taken out first, so the table's storage is not shared while it changes.
            self = nil
            table.apply(added: added, removed: removed)
            if table.count <= memoryLimit { self = .memory(table) }
        case .file(let file):
            do {
                for (content, keys) in removed where try !file.remove(content: content, keys: keys) {
                    self = nil
                    return
                }
                guard try file.insert(contentsOf: added.sorted()) else {
                    self = nil
                    return
                }
                if file.isCrowded { self = nil }
            } catch {
                self = nil
            }
        }
    }
}
