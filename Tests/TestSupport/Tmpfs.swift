import Foundation
import Glibc

/// Real tmpfs mounts for tests of unmounted archives. Mounting needs CAP_SYS_ADMIN (CI runs as
/// root); where it is not allowed, `Tmpfs.isAvailable` is false and those tests are skipped
/// with that reason.
public enum Tmpfs {
    /// Whether this process may mount a tmpfs (tried once, on a directory of its own).
    public static let isAvailable: Bool = {
        guard let scratch = try? Scratch("mount-probe") else { return false }
        let point = scratch.url("probe")
        guard (try? scratch.mkdir("probe")) != nil, mount(at: point) else { return false }
        return unmount(point)
    }()

    /// Mounts a fresh, empty tmpfs on the existing directory `path`.
    @discardableResult
    public static func mount(at path: String) -> Bool {
        Glibc.mount("tmpfs", path, "tmpfs", 0, "size=16m,mode=0755") == 0
    }

    /// Bind-mounts the directory `source` on `path`: a filesystem whose files are all there at
    /// the moment it appears, as an archive disk's are when it is mounted.
    @discardableResult
    public static func bind(_ source: String, at path: String) -> Bool {
        Glibc.mount(source, path, nil, UInt(MS_BIND), nil) == 0
    }

    /// Unmounts whatever is mounted at `path` (lazily, so a test that failed while something
    /// still had it open leaves nothing mounted behind).
    @discardableResult
    public static func unmount(_ path: String) -> Bool {
        umount2(path, Int32(MNT_DETACH)) == 0
    }
}
