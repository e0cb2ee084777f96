import Foundation
import Glibc
import NewsCore
import TestSupport
import Testing

@testable import Catalogue
@testable import SyncCore

/// A scratch tree, its catalogue and a reconciler over them.
struct ReconcilerFixture {
    let scratch: Scratch
    let database: AppDatabase
    var reconciler: Reconciler

    init(sizeLimit: Int64 = 1 << 20, candidateMemory: Int = AppDatabase.defaultCandidateMemory) throws {
        scratch = try Scratch("reconcile")
        try scratch.mkdir("tree")
        database = try AppDatabase.open(
            stateDirectory: scratch.url("state"), candidateMemory: candidateMemory)
        reconciler = Reconciler(
            tree: Tree(root: scratch.url("tree")), ignore: IgnoreRules(),
            reader: FileReader(sizeLimit: sizeLimit),
            database: database)
    }

    func write(_ path: String, _ text: String) throws { try scratch.write("tree/" + path, text) }
    func path(_ relative: String) -> String { scratch.url("tree/" + relative) }

    /// One pass, after the clock has ticked past every write made so far (see `waitForClockTick`).
    @discardableResult
    func scan(_ scopes: [RelativePath] = [.root]) throws -> ReconcileReport {
        waitForClockTick()
        return try reconciler.reconcile(scopes)
    }

    func entries() throws -> [String: CatalogEntry] {
        Dictionary(uniqueKeysWithValues: try database.entries(under: .root).map { ($0.path.display, $0) })
    }

}

@Suite struct ReconcilerTests {
    /// Batches start small (the writer waits only for the first) and double up to the size.
    @Test func batchesRampUpToTheirSizeAndCoverEveryFileOnce() {
        #expect(Reconciler.batchBounds(count: 0, batchSize: 512).isEmpty)
        let bounds = Reconciler.batchBounds(count: 1_000, batchSize: 256)
        #expect(bounds.map(\.count) == [64, 128, 256, 256, 256, 40])
        #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(bounds.first?.lowerBound == 0 && bounds.last?.upperBound == 1_000)
        #expect(Reconciler.batchBounds(count: 5, batchSize: 2).map(\.count) == [2, 2, 1])
    }

    /// With several batches read ahead of the writer, every file is read once and committed
    /// in its batch's transaction, in order.
    @Test func readingSeveralBatchesAheadCataloguesEveryFileOnce() throws {
        var f = try ReconcilerFixture()
        for i in 0..<150 { try f.write(String(format: "d/%03d.txt", i), "article \(i)\n") }
        f.reconciler.batchSize = 16
        f.reconciler.readAhead = 3
        var steps: [Int] = []
        waitForClockTick()
        let report = try f.reconciler.reconcile([.root], progress: { steps.append($0.changeCount) })
        #expect(report.read == 150)
        #expect(report.changeCount == 150)
        #expect(steps == [16, 32, 48, 64, 80, 96, 112, 128, 144, 150])
        let entries = try f.entries()
        #expect(entries.count == 150)
        #expect(entries["d/000.txt"] != nil && entries["d/149.txt"] != nil)
    }

    /// Without the entries kept, a report still counts them and names the last one.
    @Test func reportsCountChangesWhetherOrNotTheyKeepThem() throws {
        var f = try ReconcilerFixture()
        try f.write("a.txt", "alpha\n")
        try f.write("b.txt", "beta\n")
        let kept = try f.scan()
        #expect(kept.changeCount == 2 && kept.changes.count == 2)
        #expect(kept.lastChangeSeq == kept.changes.last?.seq)
        f.reconciler.keepsChanges = false
        try f.write("c.txt", "gamma\n")
        try FileManager.default.removeItem(atPath: f.path("a.txt"))
        let counted = try f.scan()
        #expect(counted.changes.isEmpty)
        #expect(counted.changeCount == 2)
        #expect(counted.lastChangeSeq == (try f.database.changes(after: 0).last?.seq))
        #expect(counted.lastChangeSeq == 4)
    }

    @Test func addsThenReadsNothingOnASecondPass() throws {
        let f = try ReconcilerFixture()
        try f.write("a.txt", "alpha\n")
        try f.write("sub/b.txt", "beta\n")
        let first = try f.scan()
        #expect(first.read == 2)
        #expect(first.changes.map(\.op) == [.add, .add])
        let second = try f.scan()
        #expect(second.read == 0)
        #expect(second.changes.isEmpty)
    }

    @Test func aRenameKeepsTheInodeAndIsLoggedAsOneRename() throws {
        let f = try ReconcilerFixture()
        try f.write("a.txt", "alpha\n")
        try f.scan()
        #expect(rename(f.path("a.txt"), f.path("b.txt")) == 0)
        let report = try f.scan()
        #expect(report.changes.map(\.op) == [.rename])
        #expect(report.changes.first?.from == RelativePath("a.txt"))
        #expect(report.read == 0)
        #expect(try f.entries().keys.sorted() == ["b.txt"])
    }

    @Test func aRenamedDirectoryRenamesEveryFileInOneTransaction() throws {
        let f = try ReconcilerFixture()
        for i in 0..<20 { try f.write("old/sub/\(i).txt", "file \(i)\n") }
        try f.scan()
        #expect(rename(f.path("old"), f.path("new")) == 0)
        let report = try f.scan()
        #expect(report.changes.count == 20)
        #expect(report.changes.allSatisfy { $0.op == .rename && $0.path.isWithin(RelativePath("new")) })
        #expect(try f.entries().keys.allSatisfy { $0.hasPrefix("new/sub/") })
    }

    @Test func scopedPassesOnlyJudgeTheirScope() throws {
        let f = try ReconcilerFixture()
        try f.write("a/1.txt", "one\n")
        try f.write("b/2.txt", "two\n")
        try f.scan()
        try FileManager.default.removeItem(atPath: f.path("a"))
        try FileManager.default.removeItem(atPath: f.path("b"))
        let report = try f.scan([RelativePath("a")])
        #expect(report.changes.map(\.path) == [RelativePath("a/1.txt")])
        #expect(try f.entries().keys.sorted() == ["b/2.txt"])
    }

    @Test func aMissingRootIsAnErrorNotADeletionOfEverything() throws {
        let f = try ReconcilerFixture()
        try f.write("a.txt", "alpha\n")
        try f.scan()
        try FileManager.default.removeItem(atPath: f.path(""))
        #expect(throws: RootUnavailable.self) { try f.scan() }
        #expect(try f.entries().count == 1)
    }

    @Test func badInputIsCataloguedWithAReason() throws {
        let f = try ReconcilerFixture(sizeLimit: 64)
        try f.scratch.write("tree/latin1.txt", bytes: [0x63, 0x61, 0x66, 0xE9, 0x0A])
        try f.scratch.write("tree/binary.txt", bytes: [0x61, 0x00, 0x62])
        try f.write("big.txt", String(repeating: "x", count: 100))
        try f.write("target.txt", "t\n")
        #expect(symlink("target.txt", f.path("link.txt")) == 0)
        #expect(mkfifo(f.path("pipe"), 0o644) == 0)
        try f.scan()
        let entries = try f.entries()
        #expect(entries["latin1.txt"]?.state == .error)
        #expect(entries["latin1.txt"]?.reason == "not valid UTF-8 (first bad byte at offset 3)")
        #expect(entries["latin1.txt"]?.sha256 != nil)
        #expect(entries["binary.txt"]?.reason == "not text (NUL byte at offset 1)")
        #expect(entries["big.txt"]?.reason == "too large (100 bytes; the limit is 64)")
        #expect(entries["big.txt"]?.sha256 != nil)
        #expect(entries["link.txt"]?.state == .skipped)
        #expect(entries["link.txt"]?.reason == "symbolic link (never followed)")
        #expect(entries["pipe"]?.state == .skipped)
        #expect(entries["target.txt"]?.state == .ok)
    }

    @Test func racilyCleanFilesAreReadAgain() throws {
        let f = try ReconcilerFixture()
        try f.write("a.txt", "alpha\n")
        try f.scan()
        // Pretend the last read happened before the file's last change, within the same tick.
        try f.database.writer.write { db in try db.execute(sql: "UPDATE files SET verified_ns = mtime_ns") }
        #expect(try f.reconciler.reconcile([.root]).read == 1)
        #expect(try f.scan().read == 0)
    }
}
