import CSystemShims

/// Filesystems on which inotify misses changes: remote and FUSE filesystems report only the
/// local kernel's writes, not those made by other hosts or by the FUSE server itself.
enum RemoteFilesystem {
    /// `statfs(2)`'s `f_type` magic numbers (linux/magic.h) of the filesystems concerned.
    static let names: [UInt32: String] = [
        0x6969: "NFS", 0x517B: "SMB", 0xFF53_4D42: "CIFS", 0xFE53_4D42: "SMB2", 0x6573_5546: "FUSE",
        0x0102_1997: "9P", 0x00C3_6400: "Ceph",
    ]

    /// The name of the filesystem of the `statfs` magic `type` when inotify misses changes on
    /// it, else `nil`.
    static func name(ofType type: Int) -> String? {
        names[UInt32(truncatingIfNeeded: type)]
    }

    /// The name of the filesystem `path` is on when inotify misses changes on it, else `nil`.
    static func name(at path: UnsafePointer<CChar>) -> String? {
        name(ofType: Int(newsd_filesystem_type(path)))
    }
}
