import Glibc

/// One non-directory entry found by a walk, as `lstat` saw it.
public struct WalkedEntry: Sendable {
    public var path: RelativePath
    public var stat: FileStat
}

/// A directory that exists but could not be listed; what lies below it is unknown.
public struct UnlistableDirectory: Sendable {
    public var path: RelativePath
    public var stat: FileStat
    public var error: SystemError
}

/// What a walk of one subtree found.
public struct WalkResult: Sendable {
    /// Regular files and special entries (symlinks, FIFOs, …), never followed or opened.
    public var entries: [WalkedEntry] = []
    /// Directories whose contents could not be listed.
    public var unlistable: [UnlistableDirectory] = []
    /// Directories listed (the hook was called for each before it was listed).
    public var directories = 0
}

/// Walks a subtree with `openat`/`fstatat`, never following symlinks, skipping ignored entries.
public struct TreeWalker {
    public let tree: Tree
    public let ignore: IgnoreRules
    /// Where a pass's progress is counted, if anywhere: each directory is added once listed.
    public var counters: ScanCounters?

    /// Creates a walker of `tree` that leaves out what `ignore` says.
    public init(tree: Tree, ignore: IgnoreRules) {
        self.tree = tree
        self.ignore = ignore
    }

    /// Walks `start` (a file, a directory, or a path that no longer exists).
    ///
    /// `beforeListing` runs for each directory before its entries are read, so a watcher can
    /// add its watch first and miss nothing created while the directory is being listed.
    public func walk(_ start: RelativePath, beforeListing: (RelativePath) -> Void) -> WalkResult {
        var result = WalkResult()
        if ignore.isIgnored(start, isDirectory: true) && ignore.isIgnored(start, isDirectory: false) {
            return result
        }
        guard case .success(let st) = FileStat.lstat(tree.cPath(start)) else { return result }
        if st.kind != .directory {
            if !ignore.isIgnored(start, isDirectory: false) {
                result.entries.append(WalkedEntry(path: start, stat: st))
            }
            return result
        }
        if ignore.isIgnored(start, isDirectory: true) { return result }
        var stack: [(RelativePath, FileStat)] = [(start, st)]
        while let (directory, directoryStat) = stack.popLast() {
            beforeListing(directory)
            result.directories += 1
            let found = result.entries.count
            list(directory, stat: directoryStat, into: &result, stack: &stack)
            counters?.listed(entries: result.entries.count - found)
        }
        return result
    }

    private func list(
        _ directory: RelativePath, stat directoryStat: FileStat, into result: inout WalkResult,
        stack: inout [(RelativePath, FileStat)]
    ) {
        let fd = open(tree.cPath(directory), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let error = SystemError("open directory")
            // Gone or replaced since it was seen: what was below it is simply not there now.
            if error.code != ENOENT && error.code != ENOTDIR && error.code != ELOOP {
                result.unlistable.append(
                    UnlistableDirectory(path: directory, stat: directoryStat, error: error))
            }
            return
        }
        guard let dir = fdopendir(fd) else {
            result.unlistable.append(
                UnlistableDirectory(path: directory, stat: directoryStat, error: SystemError("fdopendir")))
            close(fd)
            return
        }
        defer { closedir(dir) }
        while true {
            errno = 0
            guard let dirent = readdir(dir) else {
                if errno != 0 {
                    result.unlistable.append(
                        UnlistableDirectory(
                            path: directory, stat: directoryStat, error: SystemError("readdir")))
                }
                return
            }
            var st = stat()
            // fstatat straight from the dirent's name buffer: no copy, no allocation.
            let (name, statResult) = withUnsafePointer(to: &dirent.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { cName -> ([UInt8], Int32) in
                    let length = strlen(cName)
                    let bytes = UnsafeRawBufferPointer(start: cName, count: length)
                    if length <= 2, bytes.allSatisfy({ $0 == UInt8(ascii: ".") }) { return ([], 0) }
                    return (Array(bytes), fstatat(fd, cName, &st, AT_SYMLINK_NOFOLLOW))
                }
            }
            if name.isEmpty { continue }  // `.` and `..`
            if statResult != 0 { continue }  // vanished between readdir and fstatat
            let path = directory.appending(name)
            let entryStat = FileStat(st)
            let isDirectory = entryStat.kind == .directory
            if ignore.isIgnored(path, isDirectory: isDirectory) { continue }
            if isDirectory {
                stack.append((path, entryStat))
            } else {
                result.entries.append(WalkedEntry(path: path, stat: entryStat))
            }
        }
    }
}
