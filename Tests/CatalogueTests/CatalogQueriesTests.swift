import Foundation
import NewsCore
import TestSupport
import Testing

@testable import Catalogue

@Suite struct CatalogQueriesTests {
    func observation(_ path: String, ino: UInt64, sha: UInt8, state: FileState = .ok) -> FileObservation {
        FileObservation(
            path: RelativePath(path),
            stat: FileStat(
                device: 1, inode: ino, kind: .regular, size: 3, mtimeNanoseconds: 10, ctimeNanoseconds: 10),
            state: state, reason: state == .ok ? nil : "broken",
            content: .bytes(sha256: [UInt8](repeating: sha, count: 32), size: 3, isText: true),
            verifiedNanoseconds: 20)
    }

    func populated(_ label: String) throws -> (Scratch, AppDatabase) {
        let scratch = try Scratch(label)
        let database = try AppDatabase.open(stateDirectory: scratch.url("state"))
        try database.apply([
            .put(observation("a/one.txt", ino: 1, sha: 1)), .put(observation("a/two.txt", ino: 2, sha: 1)),
            .put(observation("ab.txt", ino: 3, sha: 2)),
            .put(observation("b/bad.txt", ino: 4, sha: 3, state: .error)),
        ])
        return (scratch, database)
    }

    @Test func listingsFilterByStateAndPrefixAndPageInPathOrder() async throws {
        let (_, database) = try populated("queries-list")
        let all = try await database.files(matching: FileFilter(), after: nil, limit: 10)
        #expect(all.map(\.path.display) == ["a/one.txt", "a/two.txt", "ab.txt", "b/bad.txt"])
        #expect(all.map(\.copies) == [2, 2, 1, 1])
        let firstPage = try await database.files(matching: FileFilter(), after: nil, limit: 2)
        let secondPage = try await database.files(
            matching: FileFilter(), after: firstPage.last?.path, limit: 2)
        #expect((firstPage + secondPage).map(\.path) == all.map(\.path))
        let directory = try await database.files(
            matching: FileFilter(prefix: RelativePath("a/")), after: nil, limit: 10)
        #expect(directory.map(\.path.display) == ["a/one.txt", "a/two.txt"])
        let prefix = try await database.files(
            matching: FileFilter(prefix: RelativePath("a")), after: nil, limit: 10)
        #expect(prefix.count == 3)
        let errors = try await database.files(matching: FileFilter(state: .error), after: nil, limit: 10)
        #expect(errors.map(\.reason) == ["broken"])
        // These rows carry no analysis: no file is in any language.
        #expect(try await database.files(matching: FileFilter(language: "ar"), after: nil, limit: 10).isEmpty)
        #expect(AppDatabase.prefixUpperBound([0x61, 0xFF]) == [0x62])
        #expect(AppDatabase.prefixUpperBound([0xFF]) == nil)
    }

    @Test func showAndDuplicateGroupsNameTheOtherCopies() async throws {
        let (_, database) = try populated("queries-dups")
        let found = try #require(try await database.file(at: RelativePath("a/one.txt")))
        #expect(found.duplicates.map(\.path.display) == ["a/two.txt"])
        #expect(try await database.file(at: RelativePath("missing")) == nil)
        let groups = try await database.duplicateGroups(after: nil, limit: 10)
        #expect(groups.count == 1)
        #expect(groups.first?.files.map(\.path.display) == ["a/one.txt", "a/two.txt"])
        #expect(try await database.duplicateGroups(after: groups.first?.sha256, limit: 10).isEmpty)
    }

    @Test func pruningKeepsTheNewestEntryAndRecordsItsMark() async throws {
        let (_, database) = try populated("queries-prune")
        let before = try await database.changeWindow(after: 0, limit: 100)
        #expect(before.changes.count == 4 && before.prunedThrough == 0 && before.lastSeq == 4)
        // Everything is older than a cutoff in the future, but the newest entry stays.
        let pruned = try await database.pruneChanges(before: Int64.max, batchSize: 2)
        #expect(pruned == 3)
        let after = try await database.changeWindow(after: 0, limit: 100)
        #expect(after.changes.map(\.seq) == [4])
        #expect(after.prunedThrough == 3 && after.lastSeq == 4)
        try database.apply([.remove(RelativePath("ab.txt"))])
        #expect(try await database.changeWindow(after: 4, limit: 100).changes.map(\.seq) == [5])
        let snapshot = try await database.snapshot()
        #expect(snapshot.lastSeq == 5 && snapshot.files.count == 3)
    }
}

@Suite struct CatalogCountsTests {
    /// The counts the writer keeps always equal the counts computed from the tables, through
    /// adds, rewrites, renames (onto new and onto catalogued paths) and deletes.
    @Test func keptCountsMatchACountFromScratch() async throws {
        let scratch = try Scratch("counts")
        let database = try AppDatabase.open(stateDirectory: scratch.url("state"))
        var (rng, seed) = TestSeed.generator("keptCountsMatchACountFromScratch")
        var paths: [String] = []
        for step in 0..<400 {
            var operations: [CatalogOperation] = []
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                let sha = UInt8.random(in: 0..<6, using: &rng)
                let state: FileState = Int.random(in: 0..<5, using: &rng) == 0 ? .error : .ok
                switch Int.random(in: 0..<5, using: &rng) {
                case 0, 1:
                    let path = "f\(step)-\(operations.count)"
                    paths.append(path)
                    operations.append(
                        .put(
                            FileObservation(
                                path: RelativePath(path),
                                stat: FileStat(
                                    device: 1, inode: UInt64(step * 10 + operations.count), kind: .regular,
                                    size: 3,
                                    mtimeNanoseconds: 1, ctimeNanoseconds: 1),
                                state: state, reason: state == .ok ? nil : "x",
                                content: .bytes(
                                    sha256: [UInt8](repeating: sha, count: 32), size: 3, isText: true),
                                verifiedNanoseconds: 2)))
                case 2:
                    guard let path = paths.randomElement(using: &rng) else { continue }
                    operations.append(
                        .put(
                            FileObservation(
                                path: RelativePath(path),
                                stat: FileStat(
                                    device: 1, inode: 1_000_000 + UInt64(step), kind: .regular, size: 3,
                                    mtimeNanoseconds: 1, ctimeNanoseconds: 1),
                                state: state, reason: state == .ok ? nil : "x",
                                content: .bytes(
                                    sha256: [UInt8](repeating: sha, count: 32), size: 3, isText: true),
                                verifiedNanoseconds: 2)))
                case 3:
                    guard let index = paths.indices.randomElement(using: &rng) else { continue }
                    operations.append(.remove(RelativePath(paths.remove(at: index))))
                default:
                    // A rename, onto a new path or over another catalogued one, with new bytes
                    // or none (the catalogued content kept).
                    guard let index = paths.indices.randomElement(using: &rng) else { continue }
                    let from = paths.remove(at: index)
                    let over = Bool.random(using: &rng) ? paths.randomElement(using: &rng) : nil
                    let to = over ?? "m\(step)-\(operations.count)"
                    if over == nil { paths.append(to) }
                    operations.append(
                        .move(
                            from: RelativePath(from),
                            to: FileObservation(
                                path: RelativePath(to),
                                stat: FileStat(
                                    device: 1, inode: 2_000_000 + UInt64(step), kind: .regular, size: 3,
                                    mtimeNanoseconds: 1, ctimeNanoseconds: 1),
                                state: state, reason: state == .ok ? nil : "x",
                                content: Bool.random(using: &rng)
                                    ? .bytes(
                                        sha256: [UInt8](repeating: sha, count: 32), size: 3, isText: true)
                                    : nil,
                                verifiedNanoseconds: 2)))
                }
            }
            try database.apply(operations)
            if step % 40 == 0 || step == 399 {
                let kept = try await database.readSummary().summary
                #expect(kept == (try database.summary()), "after step \(step) (seed \(seed))")
            }
        }
    }
}
