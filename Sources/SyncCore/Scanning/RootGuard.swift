import CSystemShims
import Catalogue
import Glibc
import NewsCore

/// What a pass learnt of the root before it judged anything as deleted.
struct RootCheck: Sendable, Equatable {
    /// The root as it is now (and as the catalogue trusts it from now on).
    var identity: RootIdentity
    /// The identity trusted until now, when the root turned into another one that is trusted
    /// (a new filesystem mounted, the directory replaced).
    var replaced: RootIdentity?
}

/// Catalogued files kept because the filesystem they were on is no longer mounted inside the
/// tree (see `Reconciler.unmountedSubtrees`).
struct UnmountedSubtrees {
    /// The gone paths that are kept.
    var kept: Set<RelativePath> = []
    /// The directory each kept file was found under (the mount point left behind), with how
    /// many files it keeps.
    var directories: [RelativePath: Int] = [:]
}

/// The checks that stand between an unmounted or emptied archive and a change log full of
/// deletes (the idea of Unison's `confirmbigdeletes` and syncthing's folder marker: a replica
/// that vanished all at once is a fault until someone says otherwise).
extension Reconciler {
    /// Fails unless the root can be trusted: it exists, is a directory, and is not the directory
    /// left under a filesystem that was mounted there (unless `accepting`). Records the identity
    /// it trusts in the catalogue.
    func checkRoot(accepting: Bool = false) throws -> RootCheck {
        let now = try RootIdentity.current(of: tree)
        let trusted = try database.trustedRootIdentity().flatMap(RootIdentity.init(stored:))
        if trusted == now { return RootCheck(identity: now) }
        if let trusted, trusted.isUnmounted(now: now), !accepting {
            throw RootUnavailable(root: tree.root, cause: .unmounted)
        }
        try database.trustRootIdentity(now.stored)
        return RootCheck(identity: now, replaced: trusted)
    }

    /// Whether the root holds anything that is not ignored (it reads at most a few entries).
    func rootHasEntries() -> Bool {
        guard let dir = opendir(tree.cPath(.root)) else { return true }  // unknown is not empty
        defer { closedir(dir) }
        var found = false
        let error = forEachEntry(of: dir) { name, _, type in
            found = !ignore.isIgnored(name, in: .root, isDirectory: type == UInt8(DT_DIR))
            return !found
        }
        return found || error != nil  // unknown is not empty
    }

    /// The gone entries that lived on a filesystem mounted inside the tree that is no longer
    /// mounted there: an entry whose device differs from its nearest existing ancestor's, when
    /// that ancestor (below the root) is not a mount point itself, is under a mount point left
    /// behind by an unmount. A new filesystem mounted there, or the mount point's directory
    /// removed, makes the entries ordinary deletes again. `rootDevices`: the root's device now
    /// and, when it just changed (device numbers are not stable across boots), before.
    func unmountedSubtrees(_ gone: [CatalogEntry], rootDevices: Set<UInt64>) -> UnmountedSubtrees {
        var result = UnmountedSubtrees()
        // Per directory: its nearest existing ancestor (itself included) with that one's device
        // and whether a filesystem is mounted there; `nil` when it is the root.
        var ancestors: [RelativePath: (path: RelativePath, device: UInt64, isMountPoint: Bool)?] = [:]
        func nearestExisting(_ directory: RelativePath) -> (
            path: RelativePath, device: UInt64, isMountPoint: Bool
        )? {
            if directory.isRoot { return nil }
            if let cached = ancestors[directory] { return cached }
            let found: (path: RelativePath, device: UInt64, isMountPoint: Bool)?
            if case .success(let stat) = FileStat.lstat(tree.cPath(directory)), stat.kind == .directory {
                found = (directory, stat.device, newsd_is_mount_root(tree.cPath(directory)) == 1)
            } else {
                found = nearestExisting(directory.parent)
            }
            ancestors[directory] = found
            return found
        }
        for entry in gone {
            guard !rootDevices.contains(entry.stat.device),
                let ancestor = nearestExisting(entry.path.parent),
                ancestor.device != entry.stat.device, !ancestor.isMountPoint
            else { continue }
            result.kept.insert(entry.path)
            result.directories[ancestor.path, default: 0] += 1
        }
        return result
    }
}
