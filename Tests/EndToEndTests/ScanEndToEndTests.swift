import Catalogue
import Foundation
import Glibc
import NewsCore
import SyncCore
import TestSupport
import Testing

/// `newsd scan` on real temporary trees, run as the built binary.
struct ScanFixture {
    let scratch: Scratch
    var root: String { scratch.url("tree") }
    var state: String { scratch.url("state") }

    init() throws {
        scratch = try Scratch("scan")
        try scratch.mkdir("tree")
    }

    func write(_ path: String, _ text: String) throws { try scratch.write("tree/" + path, text) }
    func path(_ relative: String) -> String { scratch.url("tree/" + relative) }

    /// Runs `newsd scan --json` (after the clock has moved past the last write) and returns
    /// its summary, failing the test on a non-zero exit.
    func scan(_ extra: [String] = [], runAs prefix: [String] = []) throws -> [String: Any] {
        waitForClockTick()
        let arguments = ["scan", "--root", root, "--state", state, "--json"] + extra
        let result =
            prefix.isEmpty
            ? try run(Binaries.newsd, arguments, in: scratch)
            : try run(prefix[0], Array(prefix.dropFirst()) + [Binaries.newsd] + arguments, in: scratch)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        return try result.json()
    }

    /// The catalogue, read directly (read-only) until the control socket exists.
    /// The command prefix that runs newsd as `nobody` when the tests run as root, who reads and
    /// lists anything, so that a permission bites (the tree and state made reachable for it).
    func asNobodyWhenRoot() throws -> [String] {
        guard geteuid() == 0 else { return [] }
        chmod(scratch.path, 0o755)
        chmod(root, 0o755)
        try scratch.mkdir("state")
        chown(state, 65534, 65534)
        return ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    }

    func entries() throws -> [String: CatalogEntry] {
        let database = try AppDatabase.open(stateDirectory: state, readOnly: true)
        return Dictionary(
            uniqueKeysWithValues: try database.entries(under: .root).map { ($0.path.display, $0) })
    }

    func changes() throws -> [ChangeEntry] {
        try AppDatabase.open(stateDirectory: state, readOnly: true).changes(after: 0)
    }
}

@Suite struct ScanEndToEndTests {
    @Test func theSeedsScanThenASecondScanReadsNothing() throws {
        let f = try ScanFixture()
        for name in try FileManager.default.contentsOfDirectory(atPath: Project.seeds)
        where name.hasSuffix(".txt") {
            try FileManager.default.copyItem(atPath: Project.seeds + "/" + name, toPath: f.path(name))
        }
        let first = try f.scan()
        for key in ["files", "contents", "duplicate_groups", "errors", "read", "seconds"] {
            #expect(first[key] != nil, "missing key \(key)")
        }
        #expect(first["files"] as? Int == 5)
        #expect(first["contents"] as? Int == 5)
        #expect(first["read"] as? Int == 5)
        #expect(first["errors"] as? Int == 0)
        let second = try f.scan()
        #expect(second["read"] as? Int == 0)
        #expect(second["files"] as? Int == 5)
    }

    @Test func humanOutputSummarisesTheScan() throws {
        let f = try ScanFixture()
        try f.write("a.txt", "alpha\n")
        let result = try run(Binaries.newsd, ["scan", "--root", f.root, "--state", f.state], in: f.scratch)
        #expect(result.status == 0)
        #expect(result.stdout.contains("1 files (0 in error)"), "\(result)")
    }

    @Test func exactDuplicatesShareOneContentAndFormAGroup() throws {
        let f = try ScanFixture()
        try f.write("a.txt", "same bytes\n")
        try f.write("b/a-copy.txt", "same bytes\n")
        try f.write("c.txt", "other\n")
        let summary = try f.scan()
        #expect(summary["files"] as? Int == 3)
        #expect(summary["contents"] as? Int == 2)
        #expect(summary["duplicate_groups"] as? Int == 1)
        let entries = try f.entries()
        #expect(entries["a.txt"]?.contentID == entries["b/a-copy.txt"]?.contentID)
    }

    @Test func ignoredEntriesAreLeftOutAndUserPatternsApply() throws {
        let f = try ScanFixture()
        try f.write("kept.txt", "kept\n")
        for ignored in [
            ".hidden.txt", ".git/config", "notes.txt~", ".kept.txt.swp", "x.tmp", "video.part", ".#kept.txt",
            "drafts/wip.txt", "page.html",
        ] {
            try f.write(ignored, "ignored\n")
        }
        try f.scratch.write("ignore", "# user patterns\ndrafts/\n*.html\n")
        let summary = try f.scan(["--ignore-file", f.scratch.url("ignore")])
        #expect(summary["files"] as? Int == 1)
        #expect(try f.entries().keys.sorted() == ["kept.txt"])
    }

    @Test func aMissingIgnoreFileIsAClearError() throws {
        let f = try ScanFixture()
        let result = try run(
            Binaries.newsd,
            ["scan", "--root", f.root, "--state", f.state, "--ignore-file", f.scratch.url("nope")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read the ignore file"), "\(result)")
    }

    @Test func specialFilesAreListedAsSkippedAndNeverOpened() throws {
        let f = try ScanFixture()
        try f.write("target.txt", "t\n")
        #expect(symlink("target.txt", f.path("link.txt")) == 0)
        #expect(symlink("/etc", f.path("dirlink")) == 0)
        // A FIFO: opening it for reading without O_NONBLOCK would hang the scan.
        #expect(mkfifo(f.path("pipe.txt"), 0o644) == 0)
        let socketPath = f.path("sock")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in socketPath.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        // A device node like /dev/null (makedev(1, 3)); creating one needs root.
        let haveDevice = mknod(f.path("null-device"), S_IFCHR | 0o600, dev_t((1 << 8) | 3)) == 0
        let summary = try f.scan()
        #expect(summary["files"] as? Int == 1)
        let entries = try f.entries()
        #expect(entries["link.txt"]?.state == .skipped)
        #expect(entries["link.txt"]?.reason == "symbolic link (never followed)")
        #expect(entries["dirlink"]?.state == .skipped)
        #expect(entries["pipe.txt"]?.reason == "FIFO (never opened)")
        #expect(entries["sock"]?.reason == "socket (never opened)")
        if haveDevice {
            #expect(entries["null-device"]?.reason == "device node (never opened)")
        }
        #expect(entries.count == (haveDevice ? 6 : 5))
    }

    @Test func badInputIsCataloguedWithItsReasonAndStillHashed() throws {
        let f = try ScanFixture()
        try f.scratch.write("tree/cp1252.txt", bytes: Array("caf".utf8) + [0xE9, 0x0A])
        try f.write("big.txt", String(repeating: "news ", count: 100))
        try f.write("fine.txt", "fine\n")
        let summary = try f.scan(["--max-size", "100"])
        #expect(summary["errors"] as? Int == 2)
        #expect(summary["files"] as? Int == 3)
        let entries = try f.entries()
        #expect(entries["cp1252.txt"]?.reason == "not valid UTF-8 (first bad byte at offset 3)")
        #expect(entries["cp1252.txt"]?.sha256?.count == 32)
        #expect(entries["big.txt"]?.reason == "too large (500 bytes; the limit is 100)")
        #expect(entries["big.txt"]?.sha256?.count == 32)
    }

    @Test func anUnreadableFileIsCataloguedWithTheErrnoText() throws {
        let f = try ScanFixture()
        try f.write("secret.txt", "secret\n")
        try f.write("open.txt", "open\n")
        chmod(f.path("secret.txt"), 0)
        let prefix = try f.asNobodyWhenRoot()
        let summary = try f.scan(runAs: prefix)
        #expect(summary["errors"] as? Int == 1)
        let entry = try f.entries()["secret.txt"]
        #expect(entry?.state == .error)
        #expect(entry?.reason == "open: Permission denied")
    }

    /// A directory that cannot be listed is unknown, not empty: its catalogued files are kept,
    /// it is catalogued as an error once (a second pass changes nothing), and once it can be
    /// listed again the error goes and the files are as they were. Its neighbours `dir-x.txt`
    /// and `dir0.txt` sort on either side of everything below `dir/`, which a pass merging the
    /// walk with the catalogue in path order must get right.
    @Test func anUnlistableDirectoryKeepsItsFilesAndIsOneErrorUntilItCanBeListed() throws {
        let f = try ScanFixture()
        try f.write("dir/a.txt", "a\n")
        try f.write("dir/sub/b.txt", "b\n")
        try f.write("dir-x.txt", "x\n")
        try f.write("dir0.txt", "zero\n")
        let prefix = try f.asNobodyWhenRoot()
        _ = try f.scan(runAs: prefix)
        #expect(try f.changes().count == 4)

        chmod(f.path("dir"), 0)
        defer { chmod(f.path("dir"), 0o755) }
        _ = try f.scan(runAs: prefix)
        var entries = try f.entries()
        #expect(entries["dir"]?.state == .error)
        #expect(entries["dir"]?.reason == "cannot list directory: Permission denied")
        #expect(entries["dir/a.txt"]?.state == .ok && entries["dir/sub/b.txt"]?.state == .ok)
        #expect(entries["dir-x.txt"] != nil && entries["dir0.txt"] != nil)
        let afterError = try f.changes().count
        #expect(afterError == 5)
        _ = try f.scan(runAs: prefix)
        #expect(try f.changes().count == afterError)

        chmod(f.path("dir"), 0o755)
        _ = try f.scan(runAs: prefix)
        entries = try f.entries()
        #expect(entries["dir"] == nil)
        #expect(Set(entries.keys) == ["dir/a.txt", "dir/sub/b.txt", "dir-x.txt", "dir0.txt"])
        #expect(try f.changes().count == afterError + 1)
    }

    @Test func fileNamesThatAreNotUTF8OrHoldNewlinesAreKeptByteForByte() throws {
        let f = try ScanFixture()
        let latin1Name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".txt".utf8)
        let fd = open(
            (Array(f.root.utf8) + [UInt8(ascii: "/")] + latin1Name + [0]).map { CChar(bitPattern: $0) },
            O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        _ = write(fd, "x\n", 2)
        close(fd)
        try f.write("two\nlines.txt", "y\n")
        try f.write("عربی/خبر.txt", "خبر\n")
        let summary = try f.scan()
        #expect(summary["files"] as? Int == 3)
        let paths = try AppDatabase.open(stateDirectory: f.state, readOnly: true).entries(under: .root).map(
            \.path)
        #expect(paths.contains(RelativePath(bytes: latin1Name)))
        #expect(paths.contains(RelativePath("two\nlines.txt")))
        #expect(paths.contains(RelativePath("عربی/خبر.txt")))
    }

    @Test func modificationsRenamesAndDeletionsAreEachLoggedOnce() throws {
        let f = try ScanFixture()
        try f.write("keep.txt", "keep\n")
        try f.write("edit.txt", "version 1\n")
        try f.write("same.txt", "aaaa\n")
        try f.write("move-me.txt", "moving\n")
        try f.write("dir/a.txt", "a\n")
        try f.write("dir/sub/b.txt", "b\n")
        try f.write("gone.txt", "gone\n")
        try f.write("gone-dir/x.txt", "x\n")
        try f.write("gone-dir/y.txt", "y\n")
        _ = try f.scan()
        let before = try f.changes().count
        #expect(before == 9)

        // A modified file.
        try f.write("edit.txt", "version 2, longer\n")
        // A same-size, same-mtime rewrite: only ctime (and the bytes) tell.
        var st = stat()
        stat(f.path("same.txt"), &st)
        try f.write("same.txt", "bbbb\n")
        var times = [st.st_atim, st.st_mtim]
        utimensat(AT_FDCWD, f.path("same.txt"), &times, 0)
        // A renamed file, a renamed directory with contents, a deleted file and directory.
        rename(f.path("move-me.txt"), f.path("moved.txt"))
        rename(f.path("dir"), f.path("renamed-dir"))
        unlink(f.path("gone.txt"))
        try FileManager.default.removeItem(atPath: f.path("gone-dir"))

        let summary = try f.scan()
        let log = try f.changes().dropFirst(before)
        func ops(_ op: ChangeEntry.Operation) -> [String] {
            log.filter { $0.op == op }.map { ($0.from.map { $0.display + " -> " } ?? "") + $0.path.display }
                .sorted()
        }
        #expect(ops(.modify) == ["edit.txt", "same.txt"])
        #expect(
            ops(.rename) == [
                "dir/a.txt -> renamed-dir/a.txt", "dir/sub/b.txt -> renamed-dir/sub/b.txt",
                "move-me.txt -> moved.txt",
            ])
        #expect(ops(.delete) == ["gone-dir/x.txt", "gone-dir/y.txt", "gone.txt"])
        #expect(ops(.add).isEmpty)
        #expect(log.count == 8)
        #expect(summary["read"] as? Int == 2)
        #expect(summary["files"] as? Int == 6)
        let again = try f.scan()
        #expect(again["read"] as? Int == 0)
        #expect(try f.changes().count == before + 8)
    }

    @Test func theCatalogueIsRefusedWhenANewerNewsdWroteIt() throws {
        let f = try ScanFixture()
        try f.write("a.txt", "a\n")
        _ = try f.scan()
        let sqlite = try run(
            "/usr/bin/sqlite3",
            [f.state + "/catalog.sqlite", "INSERT INTO grdb_migrations VALUES ('v9-next')"])
        #expect(sqlite.status == 0, "\(sqlite)")
        let result = try run(Binaries.newsd, ["scan", "--root", f.root, "--state", f.state])
        #expect(result.status == 1)
        #expect(result.stderr.contains("written by a newer newsd"), "\(result)")
    }

    /// `--candidate-memory 0`: the near-duplicate candidate index is a file beside the
    /// catalogue once it holds anything, and a republication scanned later still finds its
    /// original through it; a size that is not one is refused before anything is touched.
    @Test func pastItsMemoryBudgetTheCandidateIndexIsAFileBesideTheCatalogue() throws {
        let f = try ScanFixture()
        let english = "001_5aef100b6d616e8f.txt"
        for name in try FileManager.default.contentsOfDirectory(atPath: Project.seeds)
        where name.hasSuffix(".txt") {
            try FileManager.default.copyItem(atPath: Project.seeds + "/" + name, toPath: f.path(name))
        }
        _ = try f.scan(["--candidate-memory", "0"])

        let original = try String(contentsOfFile: f.path(english), encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.remove(at: 5)
        try f.write("republished.txt", "Home | World\n" + lines.joined(separator: "\n") + "\nShare this\n")
        _ = try f.scan(["--candidate-memory", "0"])
        // Built when the second scan's article first needed it (the first scan's only batch
        // found the index empty, which fits any budget).
        #expect(FileManager.default.fileExists(atPath: f.state + "/catalog.sqlite-bands"))
        let database = try AppDatabase.open(stateDirectory: f.state, readOnly: true)
        let republished = try #require(try database.facts(of: RelativePath("republished.txt")))
        #expect(republished.cluster != nil)
        #expect(republished.cluster == (try database.facts(of: RelativePath(english)))?.cluster)

        let refused = try run(
            Binaries.newsd,
            ["scan", "--root", f.root, "--state", f.scratch.url("other"), "--candidate-memory", "lots"],
            in: f.scratch)
        #expect(refused.status == 64, "\(refused)")
        #expect(refused.stderr.contains("--candidate-memory must be a number of bytes"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: f.scratch.url("other")))
    }
}
