import TestSupport
import Testing
import TextAnalysis

@testable import Dedup

/// A republication with other site chrome is found (shared band keys) and verified as a near
/// duplicate of the original.
struct DedupRepublishedStoryTests {
    @Test func sameStoryDifferentChromeIsNearDuplicate() throws {
        let seed = try Seeds.text("004_f959d564852dad14.txt")
        let lines = seed.split(separator: "\n", omittingEmptySubsequences: false)
        // The same article with other chrome: a new header and footer, the old ones gone.
        let body = lines[4...34].joined(separator: "\n")
        let republished = "Khabar Online\n\n" + body + "\n\nبرچسب ها\nاشتراک گذاری\nTelegram"
        let a = TextAnalyzer.analyze(seed)
        let b = TextAnalyzer.analyze(republished)
        #expect(a.normalizedHash != b.normalizedHash)
        let similarity = try #require(NearDuplicate.verify(a.shingles, b.shingles))
        #expect(similarity.jaccard > 0.95)
        #expect(Set(LSH.bandKeys(a.minhash)).intersection(LSH.bandKeys(b.minhash)).count > 30)
    }
}
