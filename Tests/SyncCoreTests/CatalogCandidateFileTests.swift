import Foundation
import GRDB
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

/// The near-duplicate candidate index past its memory budget: it moves to a file beside the
/// catalogue, a clean file is reopened as it is, and one left dirty (a crash) is rebuilt from
/// the catalogue — near-duplicates are found through all three.
@Suite struct CatalogCandidateFileTests {
    static let english = "001_5aef100b6d616e8f.txt"

    /// A republication of `original`: another site's chrome and one paragraph dropped.
    func republication(of original: String, dropping line: Int, site: String) -> String {
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.remove(at: line)
        return "\(site) | Home | World\n" + lines.joined(separator: "\n") + "\nShare this article\n"
    }

    func inode(_ path: String) throws -> UInt64 {
        var status = stat()
        guard stat(path, &status) == 0 else { throw ScratchError("no file at \(path)") }
        return UInt64(status.st_ino)
    }

    /// Opens the catalogue in `scratch` with a budget of two articles' entries and scans its tree.
    func scan(_ scratch: Scratch) throws -> AppDatabase {
        let database = try AppDatabase.open(stateDirectory: scratch.url("state"), candidateMemory: 2 * 42 * 8)
        try rescan(database, scratch)
        return database
    }

    /// One reconcile of the tree in `scratch` into `database`.
    func rescan(_ database: AppDatabase, _ scratch: Scratch) throws {
        let reconciler = Reconciler(
            tree: Tree(root: scratch.url("tree")), ignore: IgnoreRules(),
            reader: FileReader(sizeLimit: 1 << 20),
            database: database)
        waitForClockTick()
        _ = try reconciler.reconcile([.root])
    }

    func cluster(_ database: AppDatabase, _ path: String) throws -> String? {
        try #require(try database.facts(of: RelativePath(path))).cluster
    }

    @Test func theIndexMovesToAFileIsReopenedWhenCleanAndRebuiltAfterACrash() throws {
        let scratch = try Scratch("candidate-file")
        try scratch.mkdir("tree")
        let original = try Seeds.text(Self.english)
        for name in Seeds.names { try scratch.write("tree/" + name, try Seeds.text(name)) }
        let bands = scratch.url("state/catalog.sqlite-bands")

        // Five articles: past the budget of two, so the index is a file once loaded.
        do {
            let database = try scan(scratch)
            try database.loadCandidateIndex()
            #expect(database.candidateIndexForm == "file")
            #expect(FileManager.default.fileExists(atPath: bands))
            // A republication finds its original through the file.
            try scratch.write("tree/one.txt", republication(of: original, dropping: 5, site: "One"))
            try rescan(database, scratch)
            #expect(try cluster(database, "one.txt") == cluster(database, Self.english))
            try database.saveCandidateIndex()
        }
        let saved = try inode(bands)

        // Reopened clean: the same file serves, and still finds the original.
        do {
            try scratch.write("tree/two.txt", republication(of: original, dropping: 6, site: "Two"))
            let database = try scan(scratch)
            #expect(database.candidateIndexForm == "file")
            #expect(try inode(bands) == saved)
            #expect(try cluster(database, "two.txt") == cluster(database, Self.english))
            // Not saved: as if the daemon were killed after this commit.
            try scratch.write("tree/three.txt", republication(of: original, dropping: 7, site: "Three"))
            try rescan(database, scratch)
            #expect(try cluster(database, "three.txt") == cluster(database, Self.english))
        }

        // Dirty on disk: rebuilt from the catalogue, with every entry, and it finds them all.
        try scratch.write("tree/four.txt", republication(of: original, dropping: 8, site: "Four"))
        let database = try scan(scratch)
        #expect(database.candidateIndexForm == "file")
        #expect(try inode(bands) != saved)
        for name in ["one.txt", "two.txt", "three.txt", "four.txt"] {
            #expect(try cluster(database, name) == cluster(database, Self.english), "\(name)")
        }
        #expect(try database.clusters().map { $0.members.count } == [5])

        // Deleted down to within the budget: back in memory, and the file is gone.
        for name in Seeds.names + ["one.txt", "two.txt"] {
            try FileManager.default.removeItem(atPath: scratch.url("tree/" + name))
        }
        try rescan(database, scratch)
        try database.saveCandidateIndex()
        let reopened = try scan(scratch)
        try reopened.loadCandidateIndex()
        #expect(reopened.candidateIndexForm == "memory")
        #expect(!FileManager.default.fileExists(atPath: bands))
        #expect(try cluster(reopened, "three.txt") == cluster(reopened, "four.txt"))
    }

    /// A story republished more times than the file keeps per key: its keys drop their oldest
    /// entries, and the copies still form one cluster. Deleting the newest copies leaves the
    /// file short of the keys' newest entries, so it is rebuilt from the catalogue, and a new
    /// copy still finds the story (the copies left are ones the file had dropped).
    @Test func aStoryPastTheFilesBoundPerKeyStaysOneClusterWhenItsNewestCopiesGo() throws {
        let scratch = try Scratch("candidate-file-bound")
        try scratch.mkdir("tree")
        let original = try Seeds.text(Self.english)
        try scratch.write("tree/" + Self.english, original)
        let copies = BandFile.keptPerKey + 36
        for copy in 0..<copies {
            try scratch.write(
                "tree/copy-\(String(format: "%03d", copy)).txt", "Outlet \(copy) | Home | World\n" + original)
        }
        let database = try scan(scratch)
        #expect(database.candidateIndexForm == "file")
        let dropped = database.bands.index.withLock { index -> Int in
            guard case .file(let file) = index else { return 0 }
            return file.droppedCount
        }
        #expect(dropped > 0)
        #expect(try database.clusters().map { $0.members.count } == [copies + 1])

        // The newest copies go; the ten oldest stay.
        for copy in 10..<copies {
            try FileManager.default.removeItem(
                atPath: scratch.url("tree/copy-\(String(format: "%03d", copy)).txt"))
        }
        try rescan(database, scratch)
        try scratch.write("tree/late.txt", "Late Outlet | Home | World\n" + original)
        try rescan(database, scratch)
        #expect(try cluster(database, "late.txt") == cluster(database, Self.english))
        #expect(try database.clusters().map { $0.members.count } == [12])
    }

    /// A clean file is recognised by the band rows' totals, which triggers keep: rows changed
    /// behind the file (as a crash between a commit and the file's update leaves them) make it
    /// stale even when they keep their count and their number of keys, and the totals stay
    /// those of the rows through every kind of change.
    @Test func aCleanFileIsRebuiltWhenItsRowsChangedBehindItWithTheSameTotals() throws {
        let scratch = try Scratch("candidate-file-stamp")
        try scratch.mkdir("tree")
        for name in Seeds.names { try scratch.write("tree/" + name, try Seeds.text(name)) }
        let bands = scratch.url("state/catalog.sqlite-bands")
        let summed = """
            SELECT (SELECT rows FROM band_totals) = count(*)
                AND (SELECT keys FROM band_totals) = coalesce(sum(length(keys)), 0) / 4
            FROM content_bands
            """
        let saved: UInt64
        do {
            let database = try scan(scratch)
            try database.loadCandidateIndex()
            #expect(database.candidateIndexForm == "file")
            try database.saveCandidateIndex()
            saved = try inode(bands)
            try database.writer.write { db in
                #expect(try Bool.fetchOne(db, sql: summed) == true)
                // One content's keys replaced by as many others.
                try db.execute(
                    sql: "UPDATE content_bands SET keys = zeroblob(length(keys)) WHERE content_id = 1")
                #expect(try Bool.fetchOne(db, sql: summed) == true)
            }
        }
        let database = try scan(scratch)
        try database.loadCandidateIndex()
        #expect(database.candidateIndexForm == "file")
        #expect(try inode(bands) != saved)
        // A content deleted: its band row goes by the cascade.
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM files WHERE content_id = 2; DELETE FROM contents WHERE id = 2")
            #expect(try Bool.fetchOne(db, sql: summed) == true)
        }
    }
}
