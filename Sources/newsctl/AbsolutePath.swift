import Glibc

/// Absolute paths as bytes, in the two forms newsctl compares: lexical (as typed, `.` and `..`
/// folded) and physical (symlinks resolved, as `getcwd` gives the working directory).
enum AbsolutePath {
    static let slash = UInt8(ascii: "/")

    /// `base` joined with the relative `path`, then lexically normalised.
    static func joined(_ base: [UInt8], _ path: [UInt8]) -> [UInt8] {
        normalized(base + [slash] + path)
    }

    /// Without `.`, empty components or a trailing slash, and with `..` taken off the component
    /// before it (never above `/`), the way a shell's `cd` reads a path.
    static func normalized(_ path: [UInt8]) -> [UInt8] {
        var components: [ArraySlice<UInt8>] = []
        for component in path.split(separator: slash) {
            if component.elementsEqual(".".utf8) { continue }
            if component.elementsEqual("..".utf8) {
                _ = components.popLast()
            } else {
                components.append(component)
            }
        }
        return components.isEmpty ? [slash] : components.flatMap { [slash] + $0 }
    }

    /// The part of `path` below `base`: `[]` for `base` itself, `nil` when `path` lies outside.
    /// Both are normalised.
    static func relative(_ path: [UInt8], to base: [UInt8]) -> [UInt8]? {
        if path == base { return [] }
        let prefix = base == [slash] ? base : base + [slash]
        guard path.starts(with: prefix) else { return nil }
        return Array(path.dropFirst(prefix.count))
    }

    /// The physical form of the normalised `path`: its directories with symlinks resolved, its
    /// last component kept as it is (`show link.txt` is about the link, which the catalogue
    /// lists, not about its target). What does not exist yet is kept as written below the
    /// deepest directory that does.
    static func physical(_ path: [UInt8]) -> [UInt8] {
        var head = path
        var tail: [[UInt8]] = []
        while head != [slash] {
            guard let cut = head.lastIndex(of: slash) else { break }
            tail.insert(Array(head[(cut + 1)...]), at: 0)
            head = cut == 0 ? [slash] : Array(head[..<cut])
            if let resolved = realPath(head) {
                return tail.reduce(resolved) { $0 == [slash] ? $0 + $1 : $0 + [slash] + $1 }
            }
        }
        return path
    }

    /// `realpath(3)` of `path`, or `nil` when it does not exist.
    static func realPath(_ path: [UInt8]) -> [UInt8]? {
        let cPath = (path + [0]).map { CChar(bitPattern: $0) }
        guard let resolved = realpath(cPath, nil) else { return nil }
        defer { free(resolved) }
        return UnsafeBufferPointer(start: resolved, count: strlen(resolved)).map { UInt8(bitPattern: $0) }
    }

    /// The working directory, physical (`getcwd(3)`); `nil` when it is gone.
    static func workingDirectory() -> [UInt8]? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    }
}
