import Foundation
import NewsCore

/// Decides which entries under the root are not articles and are left out of the catalogue.
///
/// Built in: hidden files and directories (a leading `.`, which also covers `.*.swp` and
/// `.#*` editor locks) and download or editor temporaries (`*~`, `*.tmp`, `*.part`).
/// The user adds globs, one per line, in an ignore file: `#` starts a comment, a trailing `/`
/// limits a pattern to directories, a pattern with a `/` in it is matched against the whole
/// path from the root (a leading `/` is allowed), any other against the entry's name.
public struct IgnoreRules: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var glob: Glob
        var anchored: Bool
        var directoriesOnly: Bool
    }

    private var rules: [Rule] = []
    /// Paths (relative to the root) that are never catalogued, such as a state directory
    /// placed inside the watched tree.
    var excludedPaths: [RelativePath] = []

    /// The built-in rules only.
    public init() {}

    /// Built-in rules plus the patterns in `text` (the contents of an ignore file).
    public init(patterns text: String) {
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var directoriesOnly = false
            if line.hasSuffix("/") {
                directoriesOnly = true
                line.removeLast()
            }
            var anchored = line.contains("/")
            if line.hasPrefix("/") {
                line.removeFirst()
                anchored = true
            }
            if line.isEmpty { continue }
            rules.append(Rule(glob: Glob(line), anchored: anchored, directoriesOnly: directoriesOnly))
        }
    }

    /// Reads an ignore file. Throws a message naming the file when it cannot be read.
    public static func load(file path: String) throws -> IgnoreRules {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read the ignore file \(path): \(SystemError("open").message)")
        }
        return IgnoreRules(patterns: String(decoding: data, as: UTF8.self))
    }

    /// Number of user patterns.
    var patternCount: Int { rules.count }

    /// True when `path` (whose last component is its name) is not to be catalogued.
    public func isIgnored(_ path: RelativePath, isDirectory: Bool) -> Bool {
        if path.isRoot { return false }
        let name = path.name
        if IgnoreRules.isBuiltInIgnored(name: name) { return true }
        if excludedPaths.contains(where: { path.isWithin($0) }) { return true }
        for rule in rules where !rule.directoriesOnly || isDirectory {
            if rule.glob.matches(rule.anchored ? path.bytes : name) { return true }
        }
        return false
    }

    /// True when the entry `name` of `directory` is not to be catalogued. Its path is built only
    /// when a user pattern or an excluded path has to see it: a walk asks for every entry.
    func isIgnored(_ name: UnsafeRawBufferPointer, in directory: RelativePath, isDirectory: Bool) -> Bool {
        if IgnoreRules.isBuiltInIgnored(name: name) { return true }
        if rules.isEmpty && excludedPaths.isEmpty { return false }
        return isIgnored(directory.appending(Array(name)), isDirectory: isDirectory)
    }

    static func isBuiltInIgnored<Name: BidirectionalCollection<UInt8>>(name: Name) -> Bool {
        guard let first = name.first else { return true }
        if first == UInt8(ascii: ".") { return true }
        if name.last == UInt8(ascii: "~") { return true }
        return name.hasSuffix(".tmp".utf8) || name.hasSuffix(".part".utf8)
    }
}

extension BidirectionalCollection<UInt8> {
    fileprivate func hasSuffix(_ suffix: String.UTF8View) -> Bool {
        reversed().starts(with: suffix.reversed())
    }
}
