import TestSupport
import Testing

@testable import TextAnalysis

/// MinHasher and Shingler against datasketch 2.0 (scripts/minhash_oracle.py).
struct AnalysisMinHashTests {
    @Test("datasketch affine64 signature, bit for bit", arguments: minHashOracleCases.map(\.name))
    func matchesDatasketch(_ name: String) throws {
        let oracle = try #require(minHashOracleCases.first { $0.name == name })
        #expect(MinHasher.signature(of: oracle.inputs) == oracle.signature)
    }

    @Test(
        "the AVX-512 kernel gives the portable loop's signatures",
        .enabled(if: MinHasher.vectorKernel, "this CPU has no AVX-512DQ: only the portable loop runs here"))
    func vectorKernelMatchesPortableLoop() throws {
        for oracle in minHashOracleCases {
            #expect(MinHasher.signature(of: oracle.inputs, vectorized: true) == oracle.signature)
            #expect(MinHasher.signature(of: oracle.inputs, vectorized: false) == oracle.signature)
        }
        // Every tail length (0-7 values past a multiple of 8), and values whose products wrap.
        var generator = SplitMix64(seed: 11)
        for size in Array(0...40) + [1000, 4099] {
            let values = (0..<size).map { _ in generator.next() }
            let vector = MinHasher.signature(of: values, vectorized: true)
            #expect(vector == MinHasher.signature(of: values, vectorized: false), "\(size) values")
        }
        #expect(MinHasher.signature(of: [], vectorized: true) == Array(repeating: UInt64.max, count: 128))
    }

    /// The oracle cases fed raw base hashes (scripts/minhash_oracle.py): they have no text to
    /// shingle, and `matchesDatasketch` checks them.
    static let rawValueCases: Set<String> = ["empty", "zero", "small", "extremes", "lcg1000"]

    @Test(
        "shingles of the oracle texts match the Python definition",
        arguments: minHashOracleCases.map(\.name).filter { !rawValueCases.contains($0) })
    func shinglesMatch(_ name: String) throws {
        let oracle = try #require(minHashOracleCases.first { $0.name == name })
        let text = try #require(oracle.text, "\(name) is a text case with no text")
        #expect(Shingler.shingles(ofNormalized: text) == oracle.inputs)
    }

    /// Every oracle case is either a raw-value case or a text case: a text case that lost its
    /// text, or a new case of either kind, is not skipped unseen.
    @Test func everyOracleCaseIsRawValuesOrText() {
        let raw = minHashOracleCases.filter { $0.text == nil }.map(\.name)
        #expect(Set(raw) == Self.rawValueCases)
        #expect(raw.count == Self.rawValueCases.count)
        let texts = minHashOracleCases.filter { $0.text != nil }.map(\.name)
        #expect(texts == ["text_english", "text_swahili", "text_arabic", "text_persian", "text_short"])
    }

    @Test func permutationParameters() {
        #expect(minHashMultipliers.count == MinHasher.permutations)
        #expect(minHashOffsets.count == MinHasher.permutations)
        #expect(minHashMultipliers.allSatisfy { $0 & 1 == 1 })
    }

    @Test func duplicatesAndOrderDoNotMatter() {
        let values: [UInt64] = [5, 1, 99, 1 << 40, 7]
        let signature = MinHasher.signature(of: values)
        #expect(MinHasher.signature(of: values.reversed() + values) == signature)
        #expect(signature.count == 128)
    }

    @Test func estimatedJaccard() {
        let a = MinHasher.signature(of: Array(0..<1000))
        let b = MinHasher.signature(of: Array(500..<1500))
        let estimate = MinHasher.estimatedJaccard(a, b)
        #expect(abs(estimate - 1.0 / 3.0) < 0.12)
        #expect(MinHasher.estimatedJaccard(a, a) == 1)
    }

    @Test func shinglesAreSortedUniqueAndSpaceFree() {
        let shingles = Shingler.shingles(ofNormalized: "abc abc abc abc abc abc")
        #expect(shingles == shingles.sorted())
        #expect(Set(shingles).count == shingles.count)
        // "abcabcabc..." has only three distinct 9-grams.
        #expect(shingles.count == 3)
        #expect(Shingler.shingles(ofNormalized: "a b") == [StableHash.fnv1a64("ab")])
        #expect(Shingler.shingles(ofNormalized: "").isEmpty)
        // Persian written with ZWNJ as a space: same shingles once spaces are gone.
        #expect(
            Shingler.shingles(ofNormalized: Normalizer.normalize("می شود کشورهای منطقه"))
                == Shingler.shingles(ofNormalized: Normalizer.normalize("می‌شود کشورهای منطقه")))
    }

    @Test func distinctWindowsDecideWhetherThereIsASignature() {
        #expect(Shingler.distinctCount(ofSorted: [1, 1, 2, 3, 3, 3]) == 3)
        #expect(Shingler.distinctCount(ofSorted: [7]) == 1)
        #expect(Shingler.distinctCount(ofSorted: []) == 0)
        #expect(Shingler.hasDistinct([1, 2, 3, 1, 2, 3], atLeast: 3))
        #expect(!Shingler.hasDistinct([1, 2, 1, 2, 1, 2, 1, 2], atLeast: 3))
        #expect(!Shingler.hasDistinct([1, 2], atLeast: 3))
        // Thousands of windows, three distinct: no signature, though the raw count is large.
        let stream = Array(String(repeating: "abc", count: 1000).utf8)
        let windows = Shingler.windowHashes(ofStream: stream)
        #expect(windows.count == 3000 - Shingler.width + 1)
        #expect(Shingler.shingles(ofStream: stream).count == 3)
        #expect(!Shingler.hasDistinct(windows, atLeast: MinHasher.minimumShingles))
        let repetitive = TextAnalyzer.analyze(String(repeating: "abc ", count: 1000))
        #expect(repetitive.minhash.isEmpty)
        #expect(repetitive.shingleCount == 3)
        // Past the windows it counts: no count, and still no signature.
        let long = TextAnalyzer.analyze(String(repeating: "abc ", count: Shingler.countedWindows))
        #expect(long.minhash.isEmpty)
        #expect(long.shingleCount == nil)
        #expect(Shingler.windowHashes(ofStream: []).isEmpty)
    }

    /// The analysis counts the shingle set the writer verifies with, without keeping it.
    @Test func shingleCountIsTheShingleSetsSize() {
        for text in [
            "Rais amesema leo kwamba serikali itaendelea na mpango wa maji safi vijijini mwaka huu.",
            "The minister said the plan would go ahead. The minister said the plan would go ahead.",
            "قال الوزير إن الخطة ستمضي قدماً في جميع المحافظات خلال العام المقبل دون تأخير",
            "",
            // Past the windows counted: a long text's pairs are weighed as of unknown size.
            (0..<9000).map { "neno\($0)" }.joined(separator: " "),
        ] {
            let analysis = TextAnalyzer.analyze(text)
            let expected = text.utf8.count > Shingler.countedWindows ? nil : analysis.shingles.count
            #expect(analysis.shingleCount == expected, "\(text.prefix(40))")
        }
    }

    @Test func hashSortSortsAnyInput() {
        var generator = SplitMix64(seed: 3)
        for size in [0, 1, 5, 33, 100, 1000, 5000] {
            var values = (0..<size).map { _ in generator.next() }
            values += values.prefix(size / 3)
            var sorted = values
            HashSort.sort(&sorted)
            #expect(sorted == values.sorted())
        }
        var skewed: [UInt64] = (0..<500).map { UInt64($0 % 7) }
        HashSort.sort(&skewed)
        #expect(skewed == skewed.sorted())
    }
}
