import Glibc
import NewsCore

/// What the watcher learned from one drain of the inotify queue.
enum WatchSignal: Sendable, Equatable {
    /// Something happened at `path` (a file, a directory, or a path that is now gone).
    /// `awaitingClose`: a regular file was created and is probably still being written.
    case changed(RelativePath, awaitingClose: Bool)
    /// The two halves of a rename inside the tree, paired by cookie.
    case moved(from: RelativePath, to: RelativePath)
    /// The kernel dropped events (`IN_Q_OVERFLOW`): only a full reconcile can tell what changed.
    case overflow
    /// The root itself was deleted, moved away or unmounted.
    case rootLost
}

/// Watches every directory of the tree with inotify and interprets the raw events.
///
/// One watch per directory, keyed by watch descriptor. Events for ignored names are dropped
/// here. `IN_MOVED_FROM`/`IN_MOVED_TO` are paired by cookie; a directory renamed inside the
/// tree keeps its watches (their paths are rewritten), one moved out of the tree loses them
/// once the engine has settled the move (`settle`). Re-stat by the reconciler is always the
/// final word: a signal only says where to look.
final class DirectoryWatcher {
    private let inotify: Inotify
    private let tree: Tree
    private let ignore: IgnoreRules
    private var table = WatchTable()
    /// `IN_MOVED_FROM` halves waiting for their `IN_MOVED_TO`, by cookie.
    private var unpairedMoves: [UInt32: (path: RelativePath, isDirectory: Bool, watches: [Int32])] = [:]

    /// Creates a watcher; fails when no inotify instance can be had (`EMFILE`).
    init(tree: Tree, ignore: IgnoreRules) throws(SystemError) {
        inotify = try Inotify()
        self.tree = tree
        self.ignore = ignore
    }

    /// The descriptor to `poll` for readability.
    var fd: Int32 { inotify.fd }

    /// Number of directories watched.
    var watchCount: Int { table.count }

    /// True when the root is watched.
    var watchesRoot: Bool { table.watch(of: .root) != nil }

    /// Watches `directory`. Returns the error when the kernel refuses (`ENOSPC`: the
    /// `fs.inotify.max_user_watches` limit); a directory that vanished meanwhile is not an error.
    func watch(_ directory: RelativePath) -> SystemError? {
        switch inotify.addWatch(tree.cPath(directory)) {
        case .success(let wd):
            if let old = table.watch(of: directory), old != wd {
                // A different directory now lives at this path; the old one's watch is stale.
                inotify.removeWatch(old)
                table.remove(old)
            }
            table.set(wd, directory)
            return nil
        case .failure(let error):
            if error.code == ENOENT || error.code == ENOTDIR { return nil }
            return error
        }
    }

    /// Stops watching `path` and everything below it.
    func unwatch(within path: RelativePath) {
        for wd in table.watches(within: path) {
            inotify.removeWatch(wd)
            table.remove(wd)
        }
    }

    /// Stops watching everything (the root went away).
    func unwatchAll() {
        unwatch(within: .root)
        table.removeAll()
        unpairedMoves.removeAll()
    }

    /// Reads and interprets every queued event (or the first `limit` bytes of them), without
    /// blocking.
    func drain(limit: Int? = nil) -> [WatchSignal] {
        var signals: [WatchSignal] = []
        for event in inotify.readAvailable(limit: limit) {
            interpret(event, into: &signals)
        }
        return signals
    }

    private func interpret(_ event: InotifyEvent, into signals: inout [WatchSignal]) {
        if event.has(InotifyMask.queueOverflow) {
            signals.append(.overflow)
            return
        }
        let rootWatch = table.watch(of: .root)
        if event.has(InotifyMask.ignored) {
            table.remove(event.wd)
            if event.wd == rootWatch { signals.append(.rootLost) }
            return
        }
        guard let directory = table.path(of: event.wd) else { return }
        if event.name.isEmpty {
            // An event about the watched directory itself.
            if directory.isRoot,
                event.has(InotifyMask.deleteSelf | InotifyMask.moveSelf | InotifyMask.unmount)
            {
                signals.append(.rootLost)
            } else if event.has(InotifyMask.unmount) {
                // A filesystem mounted inside the tree went away: look at what is there now.
                signals.append(.changed(directory, awaitingClose: false))
            }
            return
        }
        let path = directory.appending(event.name)
        let isDirectory = event.has(InotifyMask.isDirectory)
        if ignore.isIgnored(path, isDirectory: isDirectory) { return }

        if event.has(InotifyMask.movedFrom) {
            unpairedMoves[event.cookie] = (path, isDirectory, isDirectory ? table.watches(within: path) : [])
            signals.append(.changed(path, awaitingClose: false))
        } else if event.has(InotifyMask.movedTo) {
            signals.append(.changed(path, awaitingClose: false))
            if let from = unpairedMoves.removeValue(forKey: event.cookie) {
                if from.isDirectory { table.rename(from.path, to: path) }
                signals.append(.moved(from: from.path, to: path))
            }
        } else if event.has(InotifyMask.create), !isDirectory {
            // A new regular file is being written until IN_CLOSE_WRITE; a hard link, symlink
            // or FIFO is complete at once and gets no close event.
            var awaitingClose = false
            if case .success(let stat) = FileStat.lstat(tree.cPath(path)) {
                awaitingClose = stat.kind == .regular && stat.linkCount == 1
            }
            signals.append(.changed(path, awaitingClose: awaitingClose))
        } else {
            signals.append(.changed(path, awaitingClose: false))
        }
    }

    /// Called once the engine has reconciled `paths`: a directory that was moved away and
    /// never turned up again in the tree was moved out, so its watches (which now see a
    /// directory outside the tree) are dropped.
    func settle(_ paths: [RelativePath]) {
        guard !unpairedMoves.isEmpty else { return }
        let settled = Set(paths)
        for (cookie, move) in unpairedMoves where settled.contains(move.path) {
            unpairedMoves[cookie] = nil
            // Only the watches the directory had when it left: a new directory that has
            // appeared at the same path since then keeps its own.
            for wd in move.watches where table.path(of: wd)?.isWithin(move.path) ?? false {
                inotify.removeWatch(wd)
                table.remove(wd)
            }
        }
    }
}
