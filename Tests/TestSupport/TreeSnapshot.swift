import Foundation
import Glibc

/// What a tree holds, as the catalogue should see it: every regular, non-ignored file's
/// path (relative, as bytes rendered lossily) and the SHA-256 of its bytes.
public enum TreeSnapshot {
    /// Walks `root` with `lstat`, skipping hidden entries and `*~`, `*.tmp`, `*.part` as newsd
    /// does, never following symlinks. Special files map to "skipped".
    public static func take(_ root: String) -> [String: String] {
        var result: [String: String] = [:]
        var stack = [""]
        while let relative = stack.popLast() {
            let directory = relative.isEmpty ? root : root + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                continue
            }
            for name in names where !isIgnored(name) {
                let path = relative.isEmpty ? name : relative + "/" + name
                var st = stat()
                guard lstat(root + "/" + path, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: stack.append(path)
                case S_IFREG: result[path] = hash(root + "/" + path) ?? "unreadable"
                default: result[path] = "skipped"
                }
            }
        }
        return result
    }

    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
    }

    /// The SHA-256 of a file's bytes, in hex.
    public static func hash(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return sha256Hex(data)
    }

    /// A readable difference between two snapshots (empty when equal), for test messages.
    public static func difference(expected: [String: String], actual: [String: String]) -> String {
        var lines: [String] = []
        for (path, hash) in expected.sorted(by: { $0.key < $1.key }) where actual[path] != hash {
            lines.append(
                "  \(path): expected \(hash.prefix(12)), catalogue has \(actual[path].map { String($0.prefix(12)) } ?? "nothing")"
            )
        }
        for path in actual.keys.sorted() where expected[path] == nil {
            lines.append("  \(path): in the catalogue but not in the tree")
        }
        return lines.prefix(40).joined(separator: "\n")
    }
}
