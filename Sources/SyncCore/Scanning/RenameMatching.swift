import Catalogue
import NewsCore

extension Reconciler {
    /// Pairs each gone file with a new or replaced path that holds the same inode with the same
    /// kind, size and mtime (a rename keeps all three) and takes the pairs out of `gone`.
    /// Returns the gone entry each such path was renamed from.
    static func matchRenames(_ survey: inout TreeSurvey) -> [RelativePath: CatalogEntry] {
        guard !survey.gone.isEmpty else { return [:] }
        var candidates: [InodeKey: [WalkedEntry]] = [:]
        for changes in [survey.toRead, survey.special] {
            for change in changes where change.replacesInode {
                candidates[InodeKey(change.stat), default: []].append(change.walked)
            }
        }
        guard !candidates.isEmpty else { return [:] }
        var moves: [RelativePath: CatalogEntry] = [:]
        survey.gone.removeAll { entry in
            let key = InodeKey(entry.stat)
            guard entry.stat.kind != .directory, var paths = candidates[key],
                let index = paths.firstIndex(where: {
                    $0.stat.kind == entry.stat.kind && $0.stat.size == entry.stat.size
                        && $0.stat.mtimeNanoseconds == entry.stat.mtimeNanoseconds
                })
            else { return false }
            moves[paths.remove(at: index).path] = entry
            candidates[key] = paths
            return true
        }
        return moves
    }
}
