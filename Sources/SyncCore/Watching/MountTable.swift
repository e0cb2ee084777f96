import Glibc
import NewsCore

/// The kernel's table of mounts (`/proc/self/mountinfo`), which `poll(2)` reports as changed
/// (`POLLPRI`) whenever a filesystem is mounted or unmounted anywhere (proc(5)). inotify says
/// nothing when a filesystem is mounted on a watched directory: without this, an archive disk
/// mounted on the root (or inside the tree) would be seen only at the next full reconcile.
final class MountTable {
    /// The descriptor to poll for `POLLPRI`.
    let fd: Int32

    /// Opens the table; `nil` where `/proc` is not mounted.
    init?() {
        let fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    /// The mount points at or under `tree`'s root, relative to it (the root itself is `.root`).
    func mountPoints(within tree: Tree) -> Set<RelativePath> {
        // mountinfo names mount points by their canonical paths.
        let root = canonical(tree.root) ?? tree.root
        let canonicalTree = Tree(root: root)
        var result: Set<RelativePath> = []
        for line in read().split(separator: UInt8(ascii: "\n")) {
            // Fields: mount ID, parent ID, major:minor, root, mount point, …
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5)
            guard fields.count > 4 else { continue }
            let point = String(decoding: Self.unescaped(fields[4]), as: UTF8.self)
            if let relative = canonicalTree.relative(point) { result.insert(relative) }
        }
        return result
    }

    /// The whole table, read from the start.
    private func read() -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return bytes }
            bytes += chunk[0..<count]
            offset += off_t(count)
        }
    }

    /// A path with the kernel's octal escapes (`\040` for a space) decoded.
    static func unescaped(_ field: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(field.count)
        var index = field.startIndex
        while index < field.endIndex {
            let byte = field[index]
            if byte == UInt8(ascii: "\\"), index + 3 < field.endIndex,
                let value = Self.octal(field[(index + 1)...(index + 3)])
            {
                result.append(value)
                index += 4
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result
    }

    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        var value: UInt32 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + UInt32(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }

    private func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
