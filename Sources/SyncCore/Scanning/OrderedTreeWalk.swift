import Glibc
import NewsCore

/// One non-directory entry found by a walk, as `lstat` saw it.
struct WalkedEntry: Sendable {
    var path: RelativePath
    var stat: FileStat
}

/// A directory that exists but could not be listed; what lies below it is unknown.
struct UnlistableDirectory: Sendable {
    var path: RelativePath
    var stat: FileStat
    var error: SystemError
}

/// What a walk finds next.
enum WalkItem {
    /// A regular file or a special entry (symlink, FIFO, …), never followed or opened.
    case entry(WalkedEntry)
    /// A directory whose contents could not be listed.
    case unlistable(UnlistableDirectory)
}

/// Walks a subtree with `openat`/`fstatat`, never following symlinks, skipping ignored entries,
/// and yields its entries in the catalogue's order: the byte order of their paths.
///
/// Each directory's entries are sorted with a directory's name read as `name/`, so that
/// everything below `a` comes between `a-b` and `a0`, where the byte order of whole paths puts
/// it. A pass can then merge the walk with the catalogue's rows read in path order and hold
/// neither side whole: only the listings of the directories on the way down are in memory.
struct OrderedTreeWalk {
    let tree: Tree
    let ignore: IgnoreRules
    /// Where a pass's progress is counted, if anywhere: each directory is added once listed.
    var counters: ScanCounters?
    /// Directories listed so far.
    private(set) var directories = 0

    private var start: RelativePath?
    private var frames: [Frame] = []

    /// One listed directory: its children in walk order and the next one to visit.
    private struct Frame {
        var directory: RelativePath
        var listing: Listing
        var next = 0
    }

    /// A directory's entries: their names one after another in one buffer, and per entry where
    /// its name lies and its stat. Sorting plain values costs no reference counting, which
    /// an array of names per entry did on every comparison.
    private struct Listing {
        var names: [UInt8] = []
        var children: [Child] = []

        mutating func append(name: UnsafeRawBufferPointer, stat: FileStat) {
            children.append(Child(start: names.count, count: name.count, stat: stat))
            names.append(contentsOf: name)
        }

        func name(of child: Child) -> [UInt8] { Array(names[child.start..<child.start + child.count]) }

        /// Sorts the children by the byte order of their names, a directory's name followed by
        /// `/`.
        mutating func sort() {
            names.withUnsafeBytes { names in
                children.sort { a, b in
                    let left = UnsafeRawBufferPointer(rebasing: names[a.start..<a.start + a.count])
                    let right = UnsafeRawBufferPointer(rebasing: names[b.start..<b.start + b.count])
                    return Self.precedes(left, a.stat.kind == .directory, right, b.stat.kind == .directory)
                }
            }
        }

        private static func precedes(
            _ left: UnsafeRawBufferPointer, _ leftIsDirectory: Bool,
            _ right: UnsafeRawBufferPointer, _ rightIsDirectory: Bool
        ) -> Bool {
            let common = min(left.count, right.count)
            if common > 0, let l = left.baseAddress, let r = right.baseAddress {
                let order = memcmp(l, r, common)
                if order != 0 { return order < 0 }
            }
            // One name is a prefix of the other: compare the next byte, a directory's `/`
            // counting as a byte after its name.
            let leftNext = left.count > common ? Int(left[common]) : (leftIsDirectory ? 0x2F : -1)
            let rightNext = right.count > common ? Int(right[common]) : (rightIsDirectory ? 0x2F : -1)
            if leftNext != rightNext { return leftNext < rightNext }
            // Equal so far: only `name/` against a longer name starting `name/` is left, which
            // a name cannot hold.
            return left.count < right.count
        }
    }

    private struct Child {
        var start: Int
        var count: Int
        var stat: FileStat
    }

    /// A walk of `start` (a file, a directory, or a path that no longer exists).
    init(tree: Tree, ignore: IgnoreRules, start: RelativePath) {
        self.tree = tree
        self.ignore = ignore
        self.start = start
    }

    /// The next entry in path order, or `nil` when the walk is done.
    ///
    /// `beforeListing` runs for each directory before its entries are read, so a watcher can
    /// add its watch first and miss nothing created while the directory is being listed.
    mutating func next(beforeListing: (RelativePath) -> Void) -> WalkItem? {
        if let start {
            self.start = nil
            if let item = begin(at: start, beforeListing: beforeListing) { return item }
        }
        while let last = frames.indices.last {
            let next = frames[last].next
            guard next < frames[last].listing.children.count else {
                frames.removeLast()
                continue
            }
            frames[last].next += 1
            let child = frames[last].listing.children[next]
            let path = frames[last].directory.appending(frames[last].listing.name(of: child))
            if child.stat.kind != .directory { return .entry(WalkedEntry(path: path, stat: child.stat)) }
            if let unlistable = enter(path, stat: child.stat, beforeListing: beforeListing) {
                return .unlistable(unlistable)
            }
        }
        return nil
    }

    private mutating func begin(at start: RelativePath, beforeListing: (RelativePath) -> Void) -> WalkItem? {
        if ignore.isIgnored(start, isDirectory: true) && ignore.isIgnored(start, isDirectory: false) {
            return nil
        }
        guard case .success(let stat) = FileStat.lstat(tree.cPath(start)) else { return nil }
        if stat.kind != .directory {
            if ignore.isIgnored(start, isDirectory: false) { return nil }
            return .entry(WalkedEntry(path: start, stat: stat))
        }
        if ignore.isIgnored(start, isDirectory: true) { return nil }
        return enter(start, stat: stat, beforeListing: beforeListing).map { .unlistable($0) }
    }

    /// Lists `directory` and makes its entries the next ones; the directory when it cannot be
    /// listed.
    private mutating func enter(
        _ directory: RelativePath, stat: FileStat, beforeListing: (RelativePath) -> Void
    ) -> UnlistableDirectory? {
        beforeListing(directory)
        directories += 1
        switch list(directory) {
        case .success(var listing):
            listing.sort()
            counters?.listed(entries: listing.children.count { $0.stat.kind != .directory })
            frames.append(Frame(directory: directory, listing: listing))
            return nil
        case .failure(let error):
            // Gone or replaced since it was seen: what was below it is simply not there now.
            if error.code == ENOENT || error.code == ENOTDIR || error.code == ELOOP { return nil }
            return UnlistableDirectory(path: directory, stat: stat, error: error)
        }
    }

    /// The entries of `directory` that are not ignored, in no particular order.
    private func list(_ directory: RelativePath) -> Result<Listing, SystemError> {
        let fd = open(tree.cPath(directory), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { return .failure(SystemError("open directory")) }
        guard let dir = fdopendir(fd) else {
            let error = SystemError("fdopendir")
            close(fd)
            return .failure(error)
        }
        defer { closedir(dir) }
        var listing = Listing()
        let error = forEachEntry(of: dir) { name, cName, _ in
            var st = stat()
            // Gone between readdir and fstatat: not there.
            guard fstatat(fd, cName, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return true }
            let entryStat = FileStat(st)
            if !ignore.isIgnored(name, in: directory, isDirectory: entryStat.kind == .directory) {
                listing.append(name: name, stat: entryStat)
            }
            return true
        }
        if let error { return .failure(error) }
        return .success(listing)
    }
}
