import Testing

@testable import Dedup

/// Exact verification of candidate pairs.
struct DedupNearDuplicateTests {
    @Test func similarityIsExact() {
        let a: [UInt64] = [1, 2, 3, 4, 5, 6, 7, 8]
        let b: [UInt64] = [5, 6, 7, 8, 9, 10]
        let s = NearDuplicate.similarity(a, b)
        #expect(s.intersection == 4)
        #expect(s.jaccard == 4.0 / 10.0)
        #expect(s.containment == 4.0 / 6.0)
        #expect(s.sizeRatio == 6.0 / 8.0)
        #expect(NearDuplicate.similarity([], []).jaccard == 0)
    }

    @Test func jaccardEdge() throws {
        let a = Array(UInt64(0)..<1000)
        let b = Array(UInt64(150)..<1150)  // J = 850 / 1150 = 0.739
        let s = try #require(NearDuplicate.verify(a, b))
        #expect(abs(s.jaccard - 850.0 / 1150.0) < 1e-12)
        #expect(NearDuplicate.verify(a, Array(UInt64(300)..<1300)) == nil)  // J = 0.54, containment 0.7
    }

    @Test func containmentEdge() throws {
        let full = Array(UInt64(0)..<1000)
        let half = Array(UInt64(0)..<520)  // truncated copy: containment 1, J 0.52, ratio 0.52
        let s = try #require(NearDuplicate.verify(full, half))
        #expect(s.containment == 1)
        #expect(s.strength == 1)
        // Too small a fraction of the larger text.
        #expect(NearDuplicate.verify(full, Array(UInt64(0)..<400)) == nil)
        // Both large enough is required: a headline-sized text is not an edge.
        #expect(NearDuplicate.verify(Array(UInt64(0)..<200), Array(UInt64(0)..<100)) == nil)
        #expect(NearDuplicate.verify(full, []) == nil)
    }
}
