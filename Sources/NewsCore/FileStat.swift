import Glibc

/// What kind of directory entry a path is. Only regular files are ever opened as articles.
public enum EntryKind: String, Sendable, Codable, CaseIterable {
    case regular = "file"
    case directory
    case symlink
    case fifo
    case socket
    case blockDevice = "block-device"
    case charDevice = "char-device"
    case unknown

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFBLK: self = .blockDevice
        case S_IFCHR: self = .charDevice
        default: self = .unknown
        }
    }

    /// Why an entry of this kind is listed but never read.
    public var skipReason: String {
        switch self {
        case .symlink: "symbolic link (never followed)"
        case .fifo: "FIFO (never opened)"
        case .socket: "socket (never opened)"
        case .blockDevice, .charDevice: "device node (never opened)"
        case .regular, .directory, .unknown: "not a regular file"
        }
    }
}

/// The part of `stat(2)` the catalogue compares to decide whether a file must be read again.
public struct FileStat: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var kind: EntryKind
    public var size: Int64
    public var mtimeNanoseconds: Int64
    public var ctimeNanoseconds: Int64
    public var linkCount: UInt64

    public init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        kind = EntryKind(mode: st.st_mode)
        size = Int64(st.st_size)
        mtimeNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        ctimeNanoseconds = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
        linkCount = UInt64(st.st_nlink)
    }

    /// Memberwise initialiser (tests and catalogue rows).
    public init(
        device: UInt64, inode: UInt64, kind: EntryKind, size: Int64,
        mtimeNanoseconds: Int64, ctimeNanoseconds: Int64, linkCount: UInt64 = 1
    ) {
        self.device = device
        self.inode = inode
        self.kind = kind
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.ctimeNanoseconds = ctimeNanoseconds
        self.linkCount = linkCount
    }

    /// `lstat` of an absolute path; `nil` with `errno` set when it fails.
    public static func lstat(_ path: [CChar]) -> Result<FileStat, SystemError> {
        var st = stat()
        if Glibc.lstat(path, &st) != 0 { return .failure(SystemError("lstat")) }
        return .success(FileStat(st))
    }

    /// `fstat` of an open descriptor.
    public static func fstat(_ fd: Int32) -> Result<FileStat, SystemError> {
        var st = stat()
        if Glibc.fstat(fd, &st) != 0 { return .failure(SystemError("fstat")) }
        return .success(FileStat(st))
    }

    /// The fields that identify unchanged content: same inode, size and both timestamps.
    public func sameContentKey(as other: FileStat) -> Bool {
        device == other.device && inode == other.inode && size == other.size
            && mtimeNanoseconds == other.mtimeNanoseconds && ctimeNanoseconds == other.ctimeNanoseconds
    }
}

/// The wall clock, sampled just before a file is read, as the catalogue's `verified_ns`.
public func wallClockNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// How close to a read a file's mtime must be for the read not to vouch for it.
///
/// File times come from the kernel's coarse clock, which lags the real clock by up to a tick
/// or two (4 ms at HZ=250, 10 ms at HZ=100), or, with multigrain timestamps (Linux 6.13+), are
/// fine-grained. Either way a write that follows a read gets an mtime no earlier than the
/// read's wall-clock time minus this margin.
public let racyWindowNanoseconds: Int64 = 25_000_000
