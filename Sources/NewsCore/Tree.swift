import Glibc

/// The watched root and how relative catalogue paths map onto absolute filesystem paths.
public struct Tree: Sendable, Equatable {
    /// The root as an absolute path, without a trailing slash (except for `/` itself).
    public let root: String
    private let rootBytes: [UInt8]

    /// Creates a tree at `root`, made absolute against the working directory.
    public init(root: String) {
        var path = root
        if !path.hasPrefix("/") {
            let cwd = currentDirectory() ?? "/"
            path = cwd == "/" ? "/" + path : cwd + "/" + path
        }
        path = Tree.lexicallyNormalized(path)
        self.root = path
        self.rootBytes = Array(path.utf8)
    }

    /// The NUL-terminated absolute path of `path`, ready for a system call.
    public func cPath(_ path: RelativePath) -> [CChar] {
        var bytes = rootBytes
        if !path.isRoot {
            if bytes.last != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
            bytes.append(contentsOf: path.bytes)
        }
        bytes.append(0)
        return bytes.map { CChar(bitPattern: $0) }
    }

    /// The absolute path bytes of `path` (no NUL), for display and messages.
    public func absoluteDisplay(_ path: RelativePath) -> String {
        path.isRoot ? root : (root == "/" ? "/" : root + "/") + path.display
    }

    /// The path of `absolute` relative to the root, or `nil` when it lies outside.
    public func relative(_ absolute: String) -> RelativePath? {
        let normalized = Tree.lexicallyNormalized(absolute)
        if normalized == root { return .root }
        let prefix = root == "/" ? "/" : root + "/"
        guard normalized.hasPrefix(prefix) else { return nil }
        return RelativePath(String(normalized.dropFirst(prefix.count)))
    }

    /// Removes `.` and empty components and resolves `..` lexically (no symlinks involved).
    static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// The process's working directory.
func currentDirectory() -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
