import NewsCore

/// Everything newsd needs to know to run, resolved from options, environment and defaults.
public struct Settings: Sendable {
    /// The watched tree.
    public var tree: Tree
    /// Where the catalogue (and, by default, the socket and lock) live.
    public var stateDirectory: String
    /// Files larger than this are hashed but not analysed (default 32 MiB).
    public var sizeLimit: Int64
    /// The built-in and user ignore rules.
    public var ignore: IgnoreRules

    /// The default size limit: 32 MiB.
    public static let defaultSizeLimit: Int64 = 32 << 20

    /// Creates settings; a state directory inside the tree is left out of the catalogue.
    public init(
        tree: Tree, stateDirectory: String, sizeLimit: Int64 = Settings.defaultSizeLimit, ignore: IgnoreRules
    ) {
        self.tree = tree
        self.stateDirectory = Tree(root: stateDirectory).root
        self.sizeLimit = sizeLimit
        self.ignore = ignore
        if let inside = tree.relative(self.stateDirectory), !inside.isRoot {
            self.ignore.excludedPaths.append(inside)
        }
    }
}
