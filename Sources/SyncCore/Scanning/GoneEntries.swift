import Catalogue
import NewsCore

extension Reconciler {
    /// Narrows `survey.gone` to what may be read as deleted, and returns the error rows of the
    /// directories that could not be listed.
    ///
    /// A subtree that cannot be listed is unknown, not empty: the catalogue keeps what it has
    /// there. Unless `acceptingRoot`, files of a filesystem no longer mounted inside the tree
    /// are kept (`unmountedSubtrees`), and a pass over the whole tree that found the root
    /// empty throws `RootUnavailable` rather than empty the catalogue: a start-up, a resume or
    /// a periodic pass has no event to vouch for the deletes. A scoped pass follows the
    /// kernel's word that its paths changed (a delete seen as it happened is a delete).
    func keepWhatIsUnknown(
        in survey: inout TreeSurvey, root: RootCheck, scopes: [RelativePath], acceptingRoot: Bool,
        report: inout ReconcileReport
    ) throws -> [FileObservation] {
        let hidden = survey.unlistable.map(\.path)
        var rowsOfUnlistable: [RelativePath: CatalogEntry] = [:]
        if !hidden.isEmpty {
            survey.gone.removeAll { entry in
                if hidden.contains(entry.path) {
                    rowsOfUnlistable[entry.path] = entry
                    return true
                }
                return hidden.contains { entry.path.isWithin($0) }
            }
        }
        if !survey.gone.isEmpty && !acceptingRoot {
            var rootDevices: Set<UInt64> = [root.identity.device]
            if let before = root.replaced { rootDevices.insert(before.device) }
            let unmounted = unmountedSubtrees(survey.gone, rootDevices: rootDevices)
            if !unmounted.kept.isEmpty {
                survey.gone.removeAll { unmounted.kept.contains($0.path) }
                report.unmounted = unmounted.directories
            }
            let files = survey.gone.count { $0.stat.kind != .directory }
            if files > 0, scopes.contains(.root), !rootHasEntries() {
                throw RootUnavailable(root: tree.root, cause: .emptied(files: files))
            }
        }
        let now = wallClockNanoseconds()
        var errorRows: [FileObservation] = survey.unlistable.map {
            FileObservation(
                path: $0.path, stat: $0.stat, state: .error,
                reason: "cannot list directory: \($0.error.message)",
                content: .unreadable, verifiedNanoseconds: now)
        }
        // A directory already recorded with the same error is not written again.
        errorRows.removeAll { row in
            rowsOfUnlistable[row.path].map {
                $0.state == .error && $0.reason == row.reason && $0.stat.kind == .directory
            }
                ?? false
        }
        return errorRows
    }
}
