import Foundation

/// Where the built `newsd` and `newsctl` are: next to the test runner in the build folder.
public enum Binaries {
    /// The build products folder (the test runner's own folder).
    public static var productsDirectory: String {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        // On Linux the runner may sit inside `newsdPackageTests.xctest`.
        while dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return dir
    }

    /// The path of the built `newsd`.
    public static var newsd: String { productsDirectory + "/newsd" }
    /// The path of the built `newsctl`.
    public static var newsctl: String { productsDirectory + "/newsctl" }
}

/// Paths inside the project checkout.
public enum Project {
    /// The package root (this file is `Tests/TestSupport/Binaries.swift`).
    public static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = (path as NSString).deletingLastPathComponent }
        return path
    }()

    /// The sample articles.
    public static var seeds: String { root + "/seeds" }
}
