import Foundation
import TestSupport
import Testing

@testable import Dedup
@testable import SyncCore

/// The on-disk candidate index: lookups equal to a plain dictionary's through builds,
/// inserts, removals and overflowing buckets; a clean file reopens as it was; a dirty, stale
/// or damaged one is refused (and then rebuilt by the catalogue).
@Suite struct DedupBandFileTests {
    /// A reference index: key → contents.
    typealias Reference = [UInt32: Set<Int64>]

    func contents(_ file: BandFile, _ key: UInt32) throws -> Set<Int64> {
        var result: Set<Int64> = []
        try file.contents(withKey: key, into: &result)
        return result
    }

    func expectSame(_ file: BandFile, _ reference: Reference, probing extra: [UInt32]) throws {
        var found: Reference = [:]
        for key in Array(reference.keys) + extra {
            let contents = try contents(file, key)
            if !contents.isEmpty { found[key] = contents }
        }
        #expect(found == reference.filter { !$0.value.isEmpty })
        #expect(file.entryCount == reference.values.reduce(0) { $0 + $1.count })
    }

    /// Builds a file of `entries` in `passes` passes, as the catalogue does.
    func build(_ path: String, _ entries: [UInt64], bucketCount: Int, passes: Int) throws -> BandFile {
        try BandFile.build(path: path, bucketCount: bucketCount, passes: passes) { homes in
            entries.filter {
                homes.contains(
                    BandFile.home(ofKey: UInt32(truncatingIfNeeded: $0 >> 32), bucketCount: bucketCount))
            }
        }
    }

    func stamp(_ reference: Reference) -> BandFile.Stamp {
        let contents = Set(reference.values.flatMap { $0 })
        return BandFile.Stamp(
            rows: Int64(contents.count), maxContent: contents.max() ?? 0,
            keys: Int64(reference.values.reduce(0) { $0 + $1.count }))
    }

    @Test func buildsInPassesAndFindsEveryContentUnderItsKey() throws {
        let scratch = try Scratch("bandfile-build")
        var (generator, _) = TestSeed.generator("buildsInPassesAndFindsEveryContentUnderItsKey")
        var reference: Reference = [:]
        var entries: [UInt64] = []
        for content in 1...3_000 {
            for _ in 0..<42 {
                // A small key space: many keys are shared, as near-duplicates share them.
                let key = UInt32.random(in: 0..<20_000, using: &generator) * 107_361 & 0x7FFF_FFFF
                if reference[key, default: []].insert(Int64(content)).inserted {
                    entries.append(BandTable.entry(key: key, content: Int64(content)))
                }
            }
        }
        let file = try build(
            scratch.url("bands"), entries.shuffled(using: &generator), bucketCount: 8_000, passes: 7)
        try expectSame(file, reference, probing: [0, 1, 0x7FFF_FFFF, 12_345])
    }

    @Test func overflowingBucketsSpillIntoTheNextAndStayFindable() throws {
        let scratch = try Scratch("bandfile-overflow")
        // 200 contents under one key: seven buckets' worth from one home.
        var reference: Reference = [:]
        let file = try build(scratch.url("bands"), [], bucketCount: 4, passes: 1)
        for content in 1...200 {
            #expect(try file.insert(BandTable.entry(key: 0x4000_0000, content: Int64(content))))
            reference[0x4000_0000, default: []].insert(Int64(content))
        }
        // A key homed in a bucket the first one overflowed into.
        #expect(try file.insert(BandTable.entry(key: 0x5000_0000, content: 999)))
        reference[0x5000_0000] = [999]
        try expectSame(file, reference, probing: [0x4000_0001, 0])
        // Removing entries from the first buckets does not hide the ones stored past them.
        try file.remove(content: 1, keys: [0x4000_0000])
        try file.remove(content: 2, keys: [0x4000_0000, 0x1234])
        reference[0x4000_0000]?.subtract([1, 2])
        try expectSame(file, reference, probing: [])
        try file.markClean(stamp(reference))
        let reopened = try #require(BandFile.open(path: scratch.url("bands"), expecting: stamp(reference)))
        try expectSame(reopened, reference, probing: [0x4000_0001])
    }

    @Test func insertSaysSoWhenNoBucketIsLeft() throws {
        let scratch = try Scratch("bandfile-full")
        let file = try build(scratch.url("bands"), [], bucketCount: 1, passes: 1)
        let capacity = (1 + BandFile.spareBuckets) * BandFile.slotsPerBucket
        for content in 1...capacity {
            #expect(try file.insert(BandTable.entry(key: 7, content: Int64(content))))
        }
        #expect(try !file.insert(BandTable.entry(key: 7, content: Int64(capacity + 1))))
        #expect(file.isCrowded)
    }

    @Test func randomChangesMatchTheReferenceBeforeAndAfterReopening() throws {
        let scratch = try Scratch("bandfile-random")
        var (generator, _) = TestSeed.generator("randomChangesMatchTheReferenceBeforeAndAfterReopening")
        var reference: Reference = [:]
        var keysOf: [Int64: [UInt32]] = [:]
        let file = try build(scratch.url("bands"), [], bucketCount: 4_096, passes: 1)
        for content in Int64(1)...1_500 {
            let keys = (0..<42).map { _ in UInt32.random(in: 0..<5_000, using: &generator) << 18 }
            let unique = Array(Set(keys)).sorted()
            for key in unique {
                #expect(try file.insert(BandTable.entry(key: key, content: content)))
                reference[key, default: []].insert(content)
            }
            keysOf[content] = unique
            // Now and then an older content goes (deleted or re-analysed).
            if content % 5 == 0, let gone = keysOf.keys.sorted().randomElement(using: &generator),
                let keys = keysOf.removeValue(forKey: gone)
            {
                try file.remove(content: UInt32(gone), keys: keys)
                for key in keys { reference[key]?.remove(gone) }
            }
        }
        reference = reference.filter { !$0.value.isEmpty }
        try expectSame(file, reference, probing: [1, 2, 3])
        let stamp = stamp(reference)
        try file.markClean(stamp)
        let reopened = try #require(BandFile.open(path: scratch.url("bands"), expecting: stamp))
        try expectSame(reopened, reference, probing: [1, 2, 3])
    }

    @Test func aDirtyStaleOrDamagedFileIsRefused() throws {
        let scratch = try Scratch("bandfile-refused")
        let path = scratch.url("bands")
        let entries = (1...100).map { BandTable.entry(key: UInt32($0) << 20, content: Int64($0)) }
        let stamp = BandFile.Stamp(rows: 100, maxContent: 100, keys: 100)
        do {
            // Built and changed, never closed cleanly: as after a crash.
            let file = try build(path, entries, bucketCount: 16, passes: 2)
            #expect(try file.insert(BandTable.entry(key: 5, content: 101)))
        }
        #expect(BandFile.open(path: path, expecting: stamp) == nil)
        #expect(BandFile.open(path: scratch.url("missing"), expecting: stamp) == nil)

        let file = try build(path, entries, bucketCount: 16, passes: 2)
        try file.markClean(stamp)
        #expect(BandFile.open(path: path, expecting: stamp) != nil)
        // Made for another catalogue (or one changed by a newsd that did not keep the file).
        #expect(
            BandFile.open(path: path, expecting: BandFile.Stamp(rows: 100, maxContent: 101, keys: 100)) == nil
        )
        // Cut short.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(BandFile.headerBytes + 10 * BandFile.bucketBytes))
        try handle.close()
        #expect(BandFile.open(path: path, expecting: stamp) == nil)
    }

    @Test func markCleanIsRefusedWhenTheCountsDisagree() throws {
        let scratch = try Scratch("bandfile-disagree")
        let path = scratch.url("bands")
        let file = try build(path, [BandTable.entry(key: 1, content: 1)], bucketCount: 8, passes: 1)
        // The catalogue says two entries; the file holds one: it stays dirty.
        try file.markClean(BandFile.Stamp(rows: 1, maxContent: 1, keys: 2))
        #expect(BandFile.open(path: path, expecting: BandFile.Stamp(rows: 1, maxContent: 1, keys: 2)) == nil)
        #expect(BandFile.open(path: path, expecting: BandFile.Stamp(rows: 1, maxContent: 1, keys: 1)) == nil)
    }

    @Test func heapSortSortsLikeTheStandardLibrary() {
        var (generator, seed) = TestSeed.generator("heapSortSortsLikeTheStandardLibrary")
        for count in [0, 1, 2, 3, 10, 1_000, 4_097] {
            var values = (0..<count).map { _ in
                UInt64.random(in: 0..<UInt64(max(1, count / 3)), using: &generator)
            }
            let expected = values.sorted()
            BandFile.heapSort(&values)
            #expect(values == expected, "\(count) values (seed \(seed))")
        }
    }
}
