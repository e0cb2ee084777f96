import NewsCore

/// The watched root cannot be trusted to say what the tree holds: nothing under it may be
/// read as deleted until it can.
public struct RootUnavailable: Error, CustomStringConvertible, Sendable, Equatable {
    /// Why the root is not trusted.
    public enum Cause: Sendable, Equatable {
        /// The root is missing or cannot be examined.
        case missing(SystemError)
        /// Something other than a directory is at the root's path.
        case notADirectory
        /// A filesystem was mounted at the root and is no longer: the path now shows the
        /// directory it was mounted on.
        case unmounted
        /// A pass over the whole tree found the root empty while the catalogue held `files`
        /// files under it, all of which it would have read as deleted at once.
        case emptied(files: Int)
    }

    public var root: String
    public var cause: Cause

    public init(root: String, cause: Cause) {
        self.root = root
        self.cause = cause
    }

    public var description: String {
        switch cause {
        case .missing(let error): "the watched root \(root) is not available (\(error.message))"
        case .notADirectory: "the watched root \(root) is not a directory"
        case .unmounted: "the filesystem mounted at the watched root \(root) was unmounted"
        case .emptied(let files):
            "the watched root \(root) is empty while the catalogue holds \(files) file(s) there "
                + "(an unmounted or replaced archive?)"
        }
    }

    /// What brings the daemon out of this state, for warnings and error replies.
    public var remedy: String {
        switch cause {
        case .missing, .notADirectory: "newsd reconciles when the root returns"
        case .unmounted:
            "newsd reconciles when a filesystem is mounted there again; if the archive now lives in "
                + "the directory itself, run `newsctl rescan --accept-root`"
        case .emptied:
            "newsd reconciles when the root holds files again; if the archive really was emptied, "
                + "run `newsctl rescan --accept-root`"
        }
    }
}
