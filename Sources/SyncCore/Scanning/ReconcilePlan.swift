import Catalogue
import NewsCore

/// What a pass will do once the survey is settled: the operations that need no read (renames
/// whose stat still vouches for the bytes, special files, deletions, unlistable directories),
/// and the files to read, packed in path order.
struct ReconcilePlan {
    /// Committed with the pass's first transaction.
    var structural: [CatalogOperation]
    /// By new path: the catalogued entry a read file was renamed from.
    var moves: [RelativePath: CatalogEntry]
    /// The files to read that have a catalogue row (the others are new).
    var catalogued: Set<RelativePath>
    /// The files to read, in path order, in one buffer until each batch's read starts.
    var toRead: PackedPaths

    /// Takes what it needs of `survey` and empties it, so that the survey is freed before the
    /// reads begin.
    init(consuming survey: inout TreeSurvey, errorRows: [FileObservation]) {
        let now = wallClockNanoseconds()
        let moves = Reconciler.matchRenames(&survey)
        // A renamed file whose stat still vouches for its bytes is not read again.
        var structural: [CatalogOperation] = []
        survey.toRead.removeAll { change in
            guard let from = moves[change.path], !from.isRacy(change.stat) else { return false }
            structural.append(
                .move(
                    from: from.path,
                    to: FileObservation(
                        path: change.path, stat: change.stat, state: from.state, reason: from.reason,
                        content: nil, verifiedNanoseconds: from.verifiedNanoseconds)))
            return true
        }
        for change in survey.special {
            let observation = FileObservation(
                path: change.path, stat: change.stat, state: .skipped, reason: change.stat.kind.skipReason,
                content: .unreadable, verifiedNanoseconds: now)
            structural.append(
                moves[change.path].map { .move(from: $0.path, to: observation) } ?? .put(observation))
        }
        structural += survey.gone.map { .remove($0.path) }
        structural += errorRows.map { .put($0) }
        self.moves = moves
        self.structural = structural
        catalogued = Set(survey.toRead.lazy.filter(\.isCatalogued).map(\.path))
        var paths = survey.toRead.map(\.path)
        survey = TreeSurvey()
        paths.sort()
        toRead = PackedPaths(paths)
    }
}
