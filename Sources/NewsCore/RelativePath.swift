import Foundation

/// A path relative to the watched root, kept as the exact bytes the filesystem returned.
///
/// File names on Linux are byte strings: they may be invalid UTF-8 or contain newlines.
/// The catalogue stores these bytes unchanged (as a BLOB), so nothing is lost or merged;
/// `display` is only for people.
public struct RelativePath: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The raw bytes, without a leading or trailing slash. Empty for the root itself.
    public var bytes: [UInt8]

    /// Creates a path from raw bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Creates a path from a string (used by tests and for user-supplied prefixes).
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// The root of the tree.
    public static let root = RelativePath(bytes: [])

    /// True for the root of the tree.
    public var isRoot: Bool { bytes.isEmpty }

    /// The child `name` of this directory.
    public func appending(_ name: [UInt8]) -> RelativePath {
        if bytes.isEmpty { return RelativePath(bytes: name) }
        var joined = bytes
        joined.reserveCapacity(bytes.count + 1 + name.count)
        joined.append(UInt8(ascii: "/"))
        joined.append(contentsOf: name)
        return RelativePath(bytes: joined)
    }

    /// The last component.
    public var name: [UInt8] {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return bytes }
        return Array(bytes[(slash + 1)...])
    }

    /// The containing directory (the root for a top-level entry).
    public var parent: RelativePath {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return .root }
        return RelativePath(bytes: Array(bytes[..<slash]))
    }

    /// True when `self` is `other` or lies below it.
    public func isWithin(_ other: RelativePath) -> Bool {
        if other.isRoot { return true }
        guard bytes.count >= other.bytes.count, bytes.starts(with: other.bytes) else { return false }
        return bytes.count == other.bytes.count || bytes[other.bytes.count] == UInt8(ascii: "/")
    }

    /// `self` with its leading `old` prefix replaced by `new` (for directory renames).
    public func replacingPrefix(_ old: RelativePath, with new: RelativePath) -> RelativePath {
        guard isWithin(old) else { return self }
        if bytes.count == old.bytes.count { return new }
        let rest = Array(bytes[(old.isRoot ? 0 : old.bytes.count + 1)...])
        return new.appending(rest)
    }

    /// True when the bytes are valid UTF-8.
    var isValidUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// The path for display: valid UTF-8 as is; invalid bytes shown as U+FFFD.
    public var display: String { String(decoding: bytes, as: UTF8.self) }

    /// The path as a string when it is valid UTF-8, else `nil`.
    public var string: String? { String(validating: bytes, as: UTF8.self) }

    public var description: String { display }

    /// Byte order, the same order SQLite uses for BLOBs.
    public static func < (lhs: RelativePath, rhs: RelativePath) -> Bool {
        // Byte order, as SQLite orders the BLOBs (memcmp, then the shorter first); with memcmp
        // rather than a generic element loop, because the start-up pass sorts every path.
        lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                let common = min(left.count, right.count)
                guard common > 0, let l = left.baseAddress, let r = right.baseAddress else {
                    return left.count < right.count
                }
                let order = memcmp(l, r, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }

    /// The half-open range of BLOB keys holding everything strictly below this directory:
    /// `dir/` up to (not including) `dir0` (`0` is the byte after `/`).
    public var descendantKeyRange: (lower: [UInt8], upper: [UInt8]) {
        (bytes + [UInt8(ascii: "/")], bytes + [UInt8(ascii: "0")])
    }
}
