import Catalogue
import NewsCore

/// A device and inode: what identifies a file across renames and hard links.
struct InodeKey: Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ stat: FileStat) {
        device = stat.device
        inode = stat.inode
    }
}

/// An entry the walk found that the catalogue does not vouch for: new, or changed since it
/// was catalogued.
struct SurveyedChange {
    var walked: WalkedEntry
    /// The inode of the catalogue's row at the same path, if there is one.
    var catalogued: InodeKey?

    var path: RelativePath { walked.path }
    var stat: FileStat { walked.stat }
    /// Whether the path has a catalogue row (the writer then updates it rather than inserts).
    var isCatalogued: Bool { catalogued != nil }
    /// Whether the catalogued row is of another file than the one there now.
    var replacesInode: Bool { catalogued != InodeKey(walked.stat) }
}

/// What a pass found by setting the filesystem beside the catalogue: the differences only.
struct TreeSurvey {
    /// Regular files to read: new, or whose stat no longer vouches for their catalogued bytes.
    var toRead: [SurveyedChange] = []
    /// Other entries (symlinks, FIFOs, …) that are new or changed: recorded, never opened.
    var special: [SurveyedChange] = []
    /// Catalogued entries the walk did not find, in path order (some may be kept yet: see
    /// `Reconciler.reconcile`).
    var gone: [CatalogEntry] = []
    /// Directories that could not be listed: what the catalogue holds beneath them is unknown.
    var unlistable: [UnlistableDirectory] = []
    /// Directories listed.
    var directories = 0

    mutating func add(_ walked: WalkedEntry, catalogued: CatalogEntry?) {
        let change = SurveyedChange(walked: walked, catalogued: catalogued.map { InodeKey($0.stat) })
        if walked.stat.kind == .regular { toRead.append(change) } else { special.append(change) }
    }
}

extension Reconciler {
    /// Walks each scope and merges what it finds with the catalogue's rows of the scope, both
    /// in path order, keeping only what differs.
    ///
    /// Memory follows the differences and the largest directory, not the tree: a warm start
    /// over 256,000 unchanged files holds a page of rows and the listings on the way down.
    func survey(
        _ scopes: [RelativePath], beforeListing: (RelativePath) -> Void, report: inout ReconcileReport
    ) throws -> TreeSurvey {
        var survey = TreeSurvey()
        for scope in scopes {
            var clock = Stopwatch()
            var rows = try CatalogRowStream(database: database, scope: scope)
            var walk = OrderedTreeWalk(tree: tree, ignore: ignore, start: scope)
            walk.counters = counters
            var row = try rows.next()
            while let item = walk.next(beforeListing: beforeListing) {
                let walked: WalkedEntry
                switch item {
                case .unlistable(let directory):
                    survey.unlistable.append(directory)
                    continue
                case .entry(let entry):
                    walked = entry
                }
                while let gone = row, gone.path < walked.path {
                    survey.gone.append(gone)
                    row = try rows.next()
                }
                guard let catalogued = row, catalogued.path == walked.path else {
                    survey.add(walked, catalogued: nil)
                    continue
                }
                row = try rows.next()
                if !catalogued.isUnchanged(comparedTo: walked.stat) {
                    survey.add(walked, catalogued: catalogued)
                }
            }
            while let gone = row {
                survey.gone.append(gone)
                row = try rows.next()
            }
            survey.directories += walk.directories
            let seconds = clock.lap()
            report.loadSeconds += rows.waitSeconds
            report.walkSeconds += seconds - rows.waitSeconds
        }
        return survey
    }
}
