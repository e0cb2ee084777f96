import Foundation
import Glibc

/// A temporary directory for one test, removed when the test ends unless `NEWSD_KEEP_SCRATCH`
/// is set (then its path, with the daemon logs in it, is printed for inspection).
public final class Scratch: @unchecked Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates a fresh directory under `$TMPDIR` (or /tmp).
    public init(_ label: String = "test") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(base)/newsd-\(label)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ScratchError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    deinit {
        if ProcessInfo.processInfo.environment["NEWSD_KEEP_SCRATCH"] != nil {
            print("kept scratch directory \(path)")
            return
        }
        // Make everything removable first (tests create unreadable files and directories).
        for sub in (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? [] {
            chmod(path + "/" + sub, 0o700)
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/relative`.
    public func url(_ relative: String) -> String { path + "/" + relative }

    /// Writes `contents` to `relative`, creating parent directories.
    @discardableResult
    public func write(_ relative: String, _ contents: String) throws -> String {
        try write(relative, bytes: Array(contents.utf8))
    }

    /// Writes raw bytes to `relative`, creating parent directories.
    @discardableResult
    public func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let full = url(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else {
            throw ScratchError("cannot write \(full)")
        }
        return full
    }

    /// Creates a directory (and its parents).
    public func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: url(relative), withIntermediateDirectories: true)
    }
}

/// A failure in test set-up.
public struct ScratchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
