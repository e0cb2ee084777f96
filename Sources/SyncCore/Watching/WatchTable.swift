import NewsCore

/// Which directory each inotify watch descriptor stands for.
///
/// Keyed by watch descriptor, never by path: after `rm -rf d && mkdir d` the new `d` has a new
/// descriptor, and the old one's `IN_IGNORED` removes only the old entry. A directory renamed
/// inside the tree keeps its descriptors; `rename` rewrites the paths of the whole subtree.
struct WatchTable: Sendable {
    private var pathByWatch: [Int32: RelativePath] = [:]
    private var watchByPath: [RelativePath: Int32] = [:]

    /// An empty table.
    init() {}

    /// Number of watches.
    var count: Int { pathByWatch.count }

    /// The directory a descriptor watches.
    func path(of wd: Int32) -> RelativePath? { pathByWatch[wd] }

    /// The descriptor watching a directory.
    func watch(of path: RelativePath) -> Int32? { watchByPath[path] }

    /// Records that `wd` watches `path` (replacing whatever either was mapped to).
    mutating func set(_ wd: Int32, _ path: RelativePath) {
        if let oldPath = pathByWatch[wd], watchByPath[oldPath] == wd { watchByPath[oldPath] = nil }
        if let oldWatch = watchByPath[path] { pathByWatch[oldWatch] = nil }
        pathByWatch[wd] = path
        watchByPath[path] = wd
    }

    /// Forgets `wd` (on `IN_IGNORED`).
    mutating func remove(_ wd: Int32) {
        guard let path = pathByWatch.removeValue(forKey: wd) else { return }
        if watchByPath[path] == wd { watchByPath[path] = nil }
    }

    /// The descriptors of `path` and every directory below it.
    func watches(within path: RelativePath) -> [Int32] {
        pathByWatch.compactMap { $0.value.isWithin(path) ? $0.key : nil }
    }

    /// A directory moved from `old` to `new` inside the tree: its watches follow it.
    mutating func rename(_ old: RelativePath, to new: RelativePath) {
        let moved = pathByWatch.filter { $0.value.isWithin(old) }
        for (wd, path) in moved {
            if watchByPath[path] == wd { watchByPath[path] = nil }
        }
        for (wd, path) in moved {
            let renamed = path.replacingPrefix(old, with: new)
            pathByWatch[wd] = renamed
            watchByPath[renamed] = wd
        }
    }

    /// Forgets everything (the root went away).
    mutating func removeAll() {
        pathByWatch.removeAll()
        watchByPath.removeAll()
    }
}
