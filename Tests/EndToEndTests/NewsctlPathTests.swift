import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// Paths as users type them: `newsctl show` and `ls PREFIX` from different working
/// directories, with absolute paths, paths relative to the current directory and paths
/// relative to the root.
@Suite struct NewsctlPathTests {
    /// A daemon on `<scratch>/tree` holding `a.txt`, `sub/b.txt`, `tree/a.txt` (so that
    /// `tree/a.txt` typed in the root's parent names a file both ways) and a name that is not
    /// UTF-8; `<scratch>/outside/notes.txt` lies outside the root.
    static func fixture(_ label: String, start: Bool = true) throws -> DaemonFixture {
        let fixture = try DaemonFixture(label)
        try fixture.write("a.txt", "alpha\n")
        try fixture.write("sub/b.txt", "beta\n")
        try fixture.write("tree/a.txt", "nested alpha\n")
        // `latin1-\xE9.txt`: the shell writes the byte a Swift string cannot hold.
        let made = try run(
            "/bin/sh", ["-c", #"printf 'latin\n' > "$1/$(printf 'latin1-\351.txt')""#, "sh", fixture.root])
        #expect(made.status == 0, "\(made)")
        try fixture.scratch.write("outside/notes.txt", "not catalogued\n")
        if start { try fixture.start() }
        return fixture
    }

    /// `newsctl show --json PATH` run in `directory`: the catalogue path it showed, and stderr.
    static func show(_ fixture: DaemonFixture, _ path: String, in directory: String) throws -> (
        String?, String
    ) {
        let result = try fixture.newsctl(["show", "--json", path], in: directory)
        #expect(result.status == 0, "show \(path) in \(directory): \(result)")
        return (try? result.json()["path"] as? String, result.stderr)
    }

    /// `newsctl ls --json PREFIX` run in `directory`: the paths listed, and stderr.
    static func list(_ fixture: DaemonFixture, _ prefix: String, in directory: String) throws -> (
        [String], String
    ) {
        let result = try fixture.newsctl(["ls", "--json", prefix], in: directory)
        #expect(result.status == 0, "ls \(prefix) in \(directory): \(result)")
        return (try result.jsonLines().compactMap { $0["path"] as? String }.sorted(), result.stderr)
    }

    @Test func showTakesAbsoluteWorkingDirectoryAndRootRelativePaths() throws {
        let fixture = try Self.fixture("paths-show")
        let parent = fixture.scratch.path

        // Absolute, from anywhere.
        #expect(try Self.show(fixture, fixture.path("sub/b.txt"), in: fixture.outside) == ("sub/b.txt", ""))
        // From the root's parent, as tab completion gives it.
        #expect(try Self.show(fixture, "tree/sub/b.txt", in: parent) == ("sub/b.txt", ""))
        // From inside a subdirectory of the root.
        #expect(try Self.show(fixture, "b.txt", in: fixture.path("sub")) == ("sub/b.txt", ""))
        #expect(try Self.show(fixture, "../a.txt", in: fixture.path("sub")) == ("a.txt", ""))
        // Relative to the root, from outside it and from a directory where it means nothing.
        #expect(try Self.show(fixture, "sub/b.txt", in: fixture.outside) == ("sub/b.txt", ""))
        #expect(try Self.show(fixture, "sub/b.txt", in: fixture.path("sub")) == ("sub/b.txt", ""))

        // Both readings name a file: the working directory's wins, and a note says so.
        let (chosen, note) = try Self.show(fixture, "tree/a.txt", in: parent)
        #expect(chosen == "a.txt")
        #expect(
            note.hasPrefix(
                "newsctl: note: tree/a.txt taken as \(fixture.path("a.txt")) (from the current directory"),
            "\(note)")
        #expect(note.contains("tree/a.txt relative to the root is catalogued too"), "\(note)")
        #expect(note.split(separator: "\n").count == 1, "\(note)")
        // `./` says which: the working directory only.
        #expect(try Self.show(fixture, "./tree/a.txt", in: parent) == ("a.txt", ""))

        // A name that is not UTF-8, typed from the root's parent.
        let latin = try run(
            "/bin/sh",
            ["-c", #"exec "$1" show --json "$(printf 'tree/latin1-\351.txt')""#, "sh", Binaries.newsctl],
            environment: ["NEWSD_SOCKET": fixture.socket], in: fixture.scratch, workingDirectory: parent)
        #expect(latin.status == 0, "\(latin)")
        let detail = try latin.json()
        #expect(
            Data(base64Encoded: detail["path_b64"] as? String ?? "").map(Array.init)
                == Array("latin1-".utf8) + [0xE9] + Array(".txt".utf8), "\(latin)")
    }

    @Test func showOutsideTheRootIsAnErrorNamingTheRoot() throws {
        let fixture = try Self.fixture("paths-outside")
        let absolute = try fixture.newsctl(
            ["show", fixture.scratch.url("outside/notes.txt")], in: fixture.outside)
        #expect(absolute.status == 1, "\(absolute)")
        #expect(
            absolute.stderr.contains(
                "\(fixture.scratch.url("outside/notes.txt")) is outside the root \(fixture.root)"),
            "\(absolute)")

        // Relative: outside from the working directory, and not catalogued relative to the root.
        let relative = try fixture.newsctl(["show", "outside/notes.txt"], in: fixture.scratch.path)
        #expect(relative.status == 1, "\(relative)")
        #expect(relative.stderr.contains("(the root is \(fixture.root))"), "\(relative)")
        #expect(
            relative.stderr.contains(
                "\(fixture.scratch.url("outside/notes.txt")) (from the current directory; outside the root)"),
            "\(relative)")
        #expect(relative.stderr.contains("not_found"), "\(relative)")

        let explicit = try fixture.newsctl(["ls", "./notes.txt"], in: fixture.outside)
        #expect(explicit.status == 1, "\(explicit)")
        #expect(explicit.stderr.contains("is outside the root \(fixture.root)"), "\(explicit)")
    }

    @Test func lsTakesAPrefixTheSameWays() throws {
        let fixture = try Self.fixture("paths-ls")
        let parent = fixture.scratch.path

        #expect(try Self.list(fixture, fixture.path("sub"), in: fixture.outside) == (["sub/b.txt"], ""))
        #expect(try Self.list(fixture, "tree/sub/", in: parent) == (["sub/b.txt"], ""))
        #expect(try Self.list(fixture, ".", in: fixture.path("sub")) == (["sub/b.txt"], ""))
        #expect(try Self.list(fixture, "sub/", in: fixture.outside) == (["sub/b.txt"], ""))
        // A prefix that is not a whole name: from the root's parent, `tree/s` is `s` in the root.
        #expect(try Self.list(fixture, "tree/s", in: parent) == (["sub/b.txt"], ""))

        // `tree/` in the root's parent: the whole root, or the directory `tree` inside it.
        let (everything, note) = try Self.list(fixture, "tree/", in: parent)
        #expect(everything.count == 4, "\(everything)")
        #expect(
            note.contains(
                "newsctl: note: tree/ taken as \(fixture.root)/ (from the current directory; the root itself)"
            ), "\(note)")
        #expect(note.contains("tree/ relative to the root is catalogued too"), "\(note)")

        let outside = try fixture.newsctl(["ls", fixture.outside], in: parent)
        #expect(outside.status == 1, "\(outside)")
        #expect(outside.stderr.contains("is outside the root \(fixture.root)"), "\(outside)")

        // `errors PREFIX` reads its prefix the same way.
        let errors = try fixture.newsctl(["errors", "--json", "tree/sub/"], in: parent)
        #expect(errors.status == 0 && errors.stdout.isEmpty, "\(errors)")
    }

    @Test func aRootReachedThroughASymlinkMatchesTheWorkingDirectoryOnDisk() throws {
        let fixture = try Self.fixture("paths-symlink", start: false)
        // The daemon is given the root through a symlinked directory; getcwd, inside the tree,
        // gives the physical path.
        #expect(symlink(fixture.scratch.path, fixture.scratch.url("link")) == 0)
        let linkedRoot = fixture.scratch.url("link/tree")
        let daemon = try DaemonProcess(scratch: fixture.scratch, root: linkedRoot, state: fixture.state)
        fixture.daemon = daemon
        try daemon.waitReady()
        #expect(try fixture.status().root == linkedRoot)

        #expect(try Self.show(fixture, "b.txt", in: fixture.path("sub")) == ("sub/b.txt", ""))
        #expect(try Self.show(fixture, fixture.path("a.txt"), in: fixture.outside) == ("a.txt", ""))
        #expect(try Self.show(fixture, linkedRoot + "/sub/b.txt", in: fixture.outside) == ("sub/b.txt", ""))
        #expect(try Self.list(fixture, ".", in: fixture.path("sub")) == (["sub/b.txt"], ""))
    }
}
