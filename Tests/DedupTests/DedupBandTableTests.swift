import TestSupport
import Testing

@testable import Dedup

/// The in-memory candidate index: lookups by key, removal of a content's entries, merging a
/// transaction's entries in, and the catalogue's blob encoding.
@Suite struct DedupBandTableTests {
    func contents(_ table: BandTable, _ key: UInt32) -> Set<Int64> {
        var result: Set<Int64> = []
        table.contents(withKey: key, into: &result)
        return result
    }

    @Test func findsEveryContentUnderAKeyAndNoOther() {
        let table = BandTable(entries: [
            BandTable.entry(key: 9, content: 3), BandTable.entry(key: 2, content: 1),
            BandTable.entry(key: 9, content: 1), BandTable.entry(key: 0x7FFF_FFFF, content: 8),
            BandTable.entry(key: 10, content: 3),
        ])
        #expect(contents(table, 9) == [1, 3])
        #expect(contents(table, 2) == [1])
        #expect(contents(table, 0x7FFF_FFFF) == [8])
        #expect(contents(table, 5).isEmpty)
        #expect(contents(BandTable(), 9).isEmpty)
    }

    @Test func applyRemovesContentsBeforeMergingNewEntries() {
        var table = BandTable(entries: [
            BandTable.entry(key: 1, content: 5), BandTable.entry(key: 2, content: 5),
            BandTable.entry(key: 1, content: 6),
        ])
        // Content 5 re-analysed: its old keys go, its new ones come in with another content's.
        table.apply(
            added: [BandTable.entry(key: 3, content: 5), BandTable.entry(key: 1, content: 7)],
            removed: [5: [1, 2]])
        #expect(contents(table, 1) == [6, 7])
        #expect(contents(table, 2).isEmpty)
        #expect(contents(table, 3) == [5])
        #expect(table.entries == table.entries.sorted())
        #expect(table.count == 3)
    }

    @Test func manySmallAdditionsStaySortedAcrossTheMergeIntoTheBulk() {
        var table = BandTable(
            entries: (0..<100).map { BandTable.entry(key: UInt32($0 * 7 % 100), content: 1) })
        var expected = Set(table.entries)
        // Small transactions, enough of them to pass the recent run's limit more than once.
        for content in 2...2_000 {
            let added = (0..<20).map {
                BandTable.entry(key: UInt32(($0 * 31 + content) % 1_000), content: Int64(content))
            }
            // Removed with the keys it was stored under, as `content_bands` keeps them.
            let gone = UInt32(content - 1)
            let goneKeys = (0..<20).map { UInt32(($0 * 31 + content - 1) % 1_000) }
            table.apply(added: added, removed: content % 97 == 0 ? [gone: goneKeys] : [:])
            if content % 97 == 0 { expected = expected.filter { $0 & 0xFFFF_FFFF != UInt64(content - 1) } }
            expected.formUnion(added)
        }
        #expect(table.count == expected.count)
        #expect(table.entries == expected.sorted())
        var found: Set<Int64> = []
        table.contents(withKey: 5, into: &found)
        #expect(found == Set(expected.filter { $0 >> 32 == 5 }.map { Int64($0 & 0xFFFF_FFFF) }))
    }

    /// Keys over the whole 31-bit range land in every run of the bulk; lookups, removals and
    /// the merged listing agree with a plain model of the table.
    @Test func keysAcrossEveryRunOfTheBulkAgreeWithAModel() {
        var (generator, seed) = TestSeed.generator("keysAcrossEveryRunOfTheBulkAgreeWithAModel")
        var table = BandTable()
        var model: [UInt32: Set<Int64>] = [:]
        var keysOf: [Int64: [UInt32]] = [:]
        for content in Int64(1)...3_000 {
            let keys =
                (0..<8).map { _ in UInt32.random(in: 0...0x7FFF_FFFF, using: &generator) }
                + [UInt32(content % 50)]  // shared keys, so that lookups find several contents
            keysOf[content] = keys
            var removed: [UInt32: [UInt32]] = [:]
            if content % 7 == 0,
                let gone = keysOf.keys.filter({ $0 < content }).sorted().randomElement(using: &generator)
            {
                removed[UInt32(gone)] = keysOf[gone]
                for key in keysOf[gone] ?? [] { model[key]?.remove(gone) }
                keysOf[gone] = nil
            }
            table.apply(added: keys.map { BandTable.entry(key: $0, content: content) }, removed: removed)
            for key in keys { model[key, default: []].insert(content) }
        }
        let expected = model.flatMap { key, contents in
            contents.map { BandTable.entry(key: key, content: $0) }
        }
        #expect(table.entries == expected.sorted(), "seed \(seed)")
        #expect(table.count == expected.count, "seed \(seed)")
        for key in Array(model.keys.sorted().prefix(200)) + [0, 1, 49, 0x7FFF_FFFF] {
            var found: Set<Int64> = []
            table.contents(withKey: key, into: &found)
            #expect(found == (model[key] ?? []), "key \(key) (seed \(seed))")
        }
    }

    @Test func storedKeysAreThirtyOneBitsAndRoundTripThroughTheirBlob() {
        #expect(BandTable.storedKey(UInt64.max) == 0x7FFF_FFFF)
        #expect(BandTable.storedKey(0x1_8000_0001) == 1)
        let keys: [UInt32] = [0, 1, 0x7FFF_FFFF, 0x0102_0304]
        let blob = BandTable.encode(keys)
        #expect(blob.count == 16)
        #expect(Array(blob[12...]) == [4, 3, 2, 1])
        #expect(BandTable.decode(blob) == keys)
    }

    /// The branch-free search that finds a key's run must agree with a plain scan on even
    /// runs, skewed runs, repeated values and the edges.
    @Test func theBranchFreeSearchAgreesWithAPlainScan() {
        func reference(_ run: [UInt64], _ value: UInt64) -> Int {
            run.firstIndex { $0 >= value } ?? run.count
        }
        var (generator, seed) = TestSeed.generator("theBranchFreeSearchAgreesWithAPlainScan")
        let even = (0..<5_000).map { _ in UInt64.random(in: 0...UInt64(UInt32.max) << 32, using: &generator) }
            .sorted()
        let skewed = (0..<3_000).map { UInt64($0) * UInt64($0) * UInt64($0) * 1_000 }
        let repeated = [UInt64](repeating: 7, count: 100) + [UInt64](repeating: 9, count: 50) + [12]
        for run in [even, skewed, repeated, [], [5], [UInt64.max]] {
            var probes: [UInt64] = [0, 1, UInt64.max, 6, 7, 8, 9, 10, 12, 13]
            probes += run.prefix(50) + run.suffix(50)
            probes += (0..<200).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) }
            probes += run.indices.filter { $0 % 97 == 0 }.flatMap { [run[$0], run[$0] &+ 1, run[$0] &- 1] }
            for value in probes {
                #expect(
                    BandTable.firstIndex(in: run, notBelow: value) == reference(run, value),
                    "\(value) (seed \(seed))")
            }
        }
    }
}
