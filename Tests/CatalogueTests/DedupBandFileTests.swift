import Foundation
import TestSupport
import Testing

@testable import Catalogue
@testable import Dedup

/// The on-disk candidate index: lookups equal to a plain dictionary's through builds,
/// inserts, removals and overflowing buckets; a key keeps its newest entries, and says when
/// removals leave it short; a clean file reopens as it was; a dirty, stale or damaged one is
/// refused (and then rebuilt by the catalogue).
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
        try BandFile.build(path: path, bucketCount: bucketCount, passes: passes) { _, homes in
            entries.filter {
                homes.contains(
                    BandFile.home(ofKey: UInt32(truncatingIfNeeded: $0 >> 32), bucketCount: bucketCount))
            }
        }
    }

    func stamp(_ reference: Reference) -> BandFile.Stamp {
        let contents = Set(reference.values.flatMap { $0 })
        return BandFile.Stamp(
            rows: Int64(contents.count), generation: contents.max() ?? 0,
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
        // Four keys homed in bucket 2 of 4, 50 contents each: seven buckets' worth from one home.
        let keys: [UInt32] = [0x4000_0000, 0x4000_0001, 0x4000_0002, 0x4000_0003]
        var reference: Reference = [:]
        let file = try build(scratch.url("bands"), [], bucketCount: 4, passes: 1)
        for content in 1...50 {
            for key in keys {
                #expect(try file.insert(BandTable.entry(key: key, content: Int64(content))))
                reference[key, default: []].insert(Int64(content))
            }
        }
        // A key homed in the last home bucket, which the first ones overflowed into.
        #expect(try file.insert(BandTable.entry(key: 0x7000_0000, content: 999)))
        reference[0x7000_0000] = [999]
        try expectSame(file, reference, probing: [0x4000_0004, 0])
        // Removing entries from the first buckets does not hide the ones stored past them.
        #expect(try file.remove(content: 1, keys: [0x4000_0000]))
        #expect(try file.remove(content: 2, keys: [0x4000_0000, 0x1234]))
        reference[0x4000_0000]?.subtract([1, 2])
        try expectSame(file, reference, probing: [])
        try file.markClean(stamp(reference))
        let reopened = try #require(BandFile.open(path: scratch.url("bands"), expecting: stamp(reference)))
        try expectSame(reopened, reference, probing: [0x4000_0001])
    }

    @Test func insertSaysSoWhenNoBucketIsLeft() throws {
        let scratch = try Scratch("bandfile-full")
        // One bucket of home: every key is homed in it, so distinct keys fill the spares too.
        let capacity = (1 + BandFile.spareBuckets) * BandFile.slotsPerBucket
        let file = try build(
            scratch.url("bands"), (1..<capacity).map { BandTable.entry(key: UInt32($0), content: Int64($0)) },
            bucketCount: 1, passes: 1)
        #expect(try file.insert(BandTable.entry(key: UInt32(capacity), content: Int64(capacity))))
        #expect(try !file.insert(BandTable.entry(key: UInt32(capacity + 1), content: Int64(capacity + 1))))
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
            // Half the contents one entry at a time, half as a transaction applies them.
            let entries = unique.map { BandTable.entry(key: $0, content: content) }
            if content % 2 == 0 {
                #expect(try file.insert(contentsOf: entries))
            } else {
                for entry in entries { #expect(try file.insert(entry)) }
            }
            for key in unique { reference[key, default: []].insert(content) }
            keysOf[content] = unique
            // Now and then an older content goes (deleted or re-analysed).
            if content % 5 == 0, let gone = keysOf.keys.sorted().randomElement(using: &generator),
                let keys = keysOf.removeValue(forKey: gone)
            {
                #expect(try file.remove(content: UInt32(gone), keys: keys))
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
        let stamp = BandFile.Stamp(rows: 100, generation: 100, keys: 100)
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
            BandFile.open(path: path, expecting: BandFile.Stamp(rows: 100, generation: 101, keys: 100)) == nil
        )
        // Its fill table (after the buckets, read instead of them) damaged: one count changed.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let total = 16 + BandFile.spareBuckets
        #expect(size == BandFile.headerBytes + total * BandFile.bucketBytes + total)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(size - total + 3))
        let original = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: UInt64(size - total + 3))
        try handle.write(contentsOf: [original ^ 1])
        #expect(BandFile.open(path: path, expecting: stamp) == nil)
        try handle.seek(toOffset: UInt64(size - total + 3))
        try handle.write(contentsOf: [original])
        #expect(BandFile.open(path: path, expecting: stamp) != nil)
        // Another format's header (the one before the fill table was stored).
        try handle.seek(toOffset: 8)
        try handle.write(contentsOf: withUnsafeBytes(of: UInt64(2).littleEndian) { Data($0) })
        #expect(BandFile.open(path: path, expecting: stamp) == nil)
        try handle.seek(toOffset: 8)
        try handle.write(contentsOf: withUnsafeBytes(of: BandFile.formatVersion.littleEndian) { Data($0) })
        #expect(BandFile.open(path: path, expecting: stamp) != nil)
        // Cut short.
        try handle.truncate(atOffset: UInt64(BandFile.headerBytes + 10 * BandFile.bucketBytes))
        try handle.close()
        #expect(BandFile.open(path: path, expecting: stamp) == nil)
    }

    @Test func markCleanIsRefusedWhenTheCountsDisagree() throws {
        let scratch = try Scratch("bandfile-disagree")
        let path = scratch.url("bands")
        let file = try build(path, [BandTable.entry(key: 1, content: 1)], bucketCount: 8, passes: 1)
        // The catalogue says two entries; the file holds one: it stays dirty.
        try file.markClean(BandFile.Stamp(rows: 1, generation: 1, keys: 2))
        #expect(BandFile.open(path: path, expecting: BandFile.Stamp(rows: 1, generation: 1, keys: 2)) == nil)
        #expect(BandFile.open(path: path, expecting: BandFile.Stamp(rows: 1, generation: 1, keys: 1)) == nil)
    }

    /// The newest `limit` contents of `key`, as a candidate lookup takes them.
    func newest(_ file: BandFile, _ key: UInt32, _ limit: Int = NearLinkPolicy.candidatesPerKey) throws
        -> [UInt32]
    {
        var result: [UInt32] = []
        try file.contents(withKey: key, newest: limit, into: &result)
        return result.sorted(by: >)
    }

    /// One story republished 1,000 times: its keys keep their newest `keptPerKey` entries,
    /// built or inserted, so a lookup reads a bucket or three, not the 31 the key would fill,
    /// and finds the same newest contents as the whole list; a key homed beside them stays
    /// findable; the counts still add up to the catalogue's for a clean close.
    @Test func aKeyKeepsItsNewestEntriesAndLookupsFindTheNewest() throws {
        let scratch = try Scratch("bandfile-bounded")
        let story: [UInt32] = [0x2000_0000, 0x2000_0001, 0x6000_0000]
        let neighbour: UInt32 = 0x2000_0002
        let copies = 1_000
        let expected = (UInt32(copies - NearLinkPolicy.candidatesPerKey + 1)...UInt32(copies)).reversed()
        var all: [UInt64] = []
        for content in 1...copies {
            for key in story { all.append(BandTable.entry(key: key, content: Int64(content))) }
        }
        all.append(BandTable.entry(key: neighbour, content: 5_000))
        let stamp = BandFile.Stamp(rows: Int64(copies + 1), generation: 5_000, keys: Int64(all.count))

        // Built from the catalogue's rows in one pass or several.
        for passes in [1, 3] {
            let file = try build(
                scratch.url("built-\(passes)"), all.shuffled(), bucketCount: 64, passes: passes)
            #expect(file.entryCount == story.count * BandFile.keptPerKey + 1)
            #expect(file.droppedCount == story.count * (copies - BandFile.keptPerKey))
            for key in story { #expect(try newest(file, key) == Array(expected)) }
            #expect(try contents(file, neighbour) == [5_000])
            try file.markClean(stamp)
            let reopened = try #require(BandFile.open(path: scratch.url("built-\(passes)"), expecting: stamp))
            for key in story { #expect(try newest(reopened, key) == Array(expected)) }
        }

        // Inserted one entry at a time, and as one transaction's entries, oldest first.
        let batched = try build(scratch.url("batched"), [], bucketCount: 64, passes: 1)
        #expect(try batched.insert(contentsOf: all.sorted()))
        let file = try build(scratch.url("inserted"), [], bucketCount: 64, passes: 1)
        for entry in all.sorted() { #expect(try file.insert(entry)) }
        for file in [batched, file] {
            #expect(file.entryCount == story.count * BandFile.keptPerKey + 1)
            for key in story {
                #expect(try newest(file, key) == Array(expected))
                #expect(try contents(file, key).count == BandFile.keptPerKey)
            }
            #expect(try contents(file, neighbour) == [5_000])
        }
        // An entry older than every one kept is dropped, not stored.
        #expect(try file.insert(BandTable.entry(key: story[0], content: 3)))
        #expect(try newest(file, story[0]) == Array(expected))
        #expect(file.entryCount + file.droppedCount == all.count + 1)
    }

    /// Removals from a key that has dropped older entries: fine while it holds the newest
    /// `candidatesPerKey`, reported once it holds fewer (the catalogue then rebuilds the file);
    /// a key that never dropped any can be emptied without a report.
    @Test func removalsThatLeaveATruncatedKeyShortAreReported() throws {
        let scratch = try Scratch("bandfile-short")
        let story: UInt32 = 0x3000_0000
        let small: UInt32 = 0x5000_0000
        var entries = (1...200).map { BandTable.entry(key: story, content: Int64($0)) }
        entries += (1...5).map { BandTable.entry(key: small, content: Int64(1_000 + $0)) }
        let file = try build(scratch.url("bands"), entries, bucketCount: 16, passes: 1)
        for content in (1_001...1_005).reversed() {
            #expect(try file.remove(content: UInt32(content), keys: [small]))
        }
        // The newest 64 of 200 are held; removing down to 16 of them is fine.
        let kept = BandFile.keptPerKey - NearLinkPolicy.candidatesPerKey
        for content in (201 - kept)...200 {
            #expect(try file.remove(content: UInt32(content), keys: [story]))
        }
        #expect(try newest(file, story).count == NearLinkPolicy.candidatesPerKey)
        // One more, and the newest sixteen are no longer all in the file.
        #expect(try !file.remove(content: UInt32(200 - kept), keys: [story]))
        // A dropped entry's removal is counted, so a clean close still adds up.
        #expect(try !file.remove(content: 1, keys: [story]))
        #expect(file.entryCount + file.droppedCount == entries.count - 5 - kept - 2)
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

    /// A build in passes reads `content_bands` once and deals its entries to the passes on a
    /// scratch file: each comes back in the pass whose home buckets hold it, none lost or
    /// doubled, and the scratch file has no name in the directory.
    @Test func aSpillDealsEveryEntryToThePassThatWritesIt() throws {
        let scratch = try Scratch("bandfile-spill")
        var (generator, _) = TestSeed.generator("aSpillDealsEveryEntryToThePassThatWritesIt")
        let bucketCount = 10_007
        let passes = 13
        #expect(
            (0..<bucketCount).allSatisfy { home in
                BandFile.passRange(
                    BandFile.pass(ofHome: home, of: passes, bucketCount: bucketCount), of: passes,
                    bucketCount: bucketCount
                ).contains(home)
            })
        let path = scratch.url("spill")
        let spill = try BandFileSpill(path: path, passes: passes)
        #expect(!FileManager.default.fileExists(atPath: path))
        var entries: [UInt64] = []
        for content in 1...2_000 {
            for _ in 0..<7 {
                let key = UInt32.random(in: 0...0x7FFF_FFFF, using: &generator)
                entries.append(BandTable.entry(key: key, content: Int64(content)))
            }
        }
        let home = { (entry: UInt64) in
            BandFile.home(ofKey: UInt32(truncatingIfNeeded: entry >> 32), bucketCount: bucketCount)
        }
        for entry in entries {
            try spill.add(
                entry, toPass: BandFile.pass(ofHome: home(entry), of: passes, bucketCount: bucketCount))
        }
        try spill.finishAdding()
        var dealt: [UInt64] = []
        for pass in 0..<passes {
            let range = BandFile.passRange(pass, of: passes, bucketCount: bucketCount)
            let own = try spill.entries(ofPass: pass)
            // More than one block each: 14,000 entries in 13 passes, 512 to a block.
            #expect(own.count > BandFileSpill.blockEntries)
            #expect(own.allSatisfy { range.contains(home($0)) })
            dealt += own
        }
        #expect(dealt.sorted() == entries.sorted())
    }
}
