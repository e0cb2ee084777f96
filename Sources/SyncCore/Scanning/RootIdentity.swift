import CSystemShims
import Glibc
import NewsCore

/// What the watched root is: its device and inode, and whether a filesystem is mounted there.
///
/// The catalogue keeps the identity it last trusted. A root that was a mount point and is not
/// any more is an unmounted archive: the empty directory underneath must not be read as "every
/// file was deleted". Any other change (a new filesystem mounted, the directory replaced, device
/// numbers renumbered at boot) is trusted: what the root then holds is the truth, and the empty
/// root check still stands between it and a mass delete.
public struct RootIdentity: Sendable, Equatable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    var isMountPoint: Bool

    init(device: UInt64, inode: UInt64, isMountPoint: Bool) {
        self.device = device
        self.inode = inode
        self.isMountPoint = isMountPoint
    }

    /// The identity of `tree`'s root as it is now.
    public static func current(of tree: Tree) throws(RootUnavailable) -> RootIdentity {
        let path = tree.cPath(.root)
        switch FileStat.lstat(path) {
        case .failure(let error):
            throw RootUnavailable(root: tree.root, cause: .missing(error))
        case .success(let stat) where stat.kind != .directory:
            throw RootUnavailable(root: tree.root, cause: .notADirectory)
        case .success(let stat):
            let mount = newsd_is_mount_root(path)
            if mount < 0 { throw RootUnavailable(root: tree.root, cause: .missing(SystemError("statx"))) }
            return RootIdentity(device: stat.device, inode: stat.inode, isMountPoint: mount == 1)
        }
    }

    /// Whether changing from `self` to `now` means the filesystem at the root went away.
    func isUnmounted(now: RootIdentity) -> Bool { isMountPoint && !now.isMountPoint }

    /// The form kept in the catalogue's `meta` table.
    public var stored: String { "\(device):\(inode):\(isMountPoint ? "mount" : "directory")" }

    /// Reads the stored form; `nil` for anything else.
    public init?(stored: String) {
        let parts = stored.split(separator: ":")
        guard parts.count == 3, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
            parts[2] == "mount" || parts[2] == "directory"
        else { return nil }
        self.init(device: device, inode: inode, isMountPoint: parts[2] == "mount")
    }

    public var description: String {
        // major:minor as glibc's gnu_dev_major/gnu_dev_minor decode a dev_t.
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & 0xffff_f000)
        let minor = (device & 0xff) | ((device >> 12) & 0xffff_ff00)
        return "device \(major):\(minor), inode \(inode)\(isMountPoint ? ", a mount point" : "")"
    }
}
