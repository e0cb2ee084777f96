import Foundation
import TestSupport
import Testing

@testable import TextAnalysis

/// Texts longer than `TextAnalyzer.analysedPrefixBytes`: analysed from their first part, keyed
/// by all of it.
struct AnalysisPrefixTests {
    /// A long multi-script text: seed articles one after another until it passes the limit.
    static func longText(suffix: String) throws -> String {
        var text = ""
        while text.utf8.count <= TextAnalyzer.analysedPrefixBytes + 40_000 {
            for name in Seeds.names { text += try Seeds.text(name) + "\r\n\n" }
        }
        return text + suffix
    }

    @Test func theLineByLineKeyIsTheWholeTextKey() throws {
        for name in Seeds.names {
            let text = try Seeds.text(name) + "\n\n  \nتـــمام ۲۰۲۴\r\n"
            var buffer: [UInt8] = []
            let lines = TextLine.split(text, buffer: &buffer)
            #expect(TextAnalyzer.hashNormalized(text) == TextAnalyzer.hashNormalized(lines), "\(name)")
            #expect(
                TextAnalyzer.hashNormalized(text) == sha256Hex(Normalizer.normalize(text)), "\(name)")
        }
    }

    @Test func aLongTextIsKeyedByEveryByteAndAnalysedFromItsStart() throws {
        let a = try Self.longText(suffix: "the last line differs: one")
        let b = try Self.longText(suffix: "the last line differs: two")
        let analysisA = TextAnalyzer.analyze(a)
        let analysisB = TextAnalyzer.analyze(b)
        // The normalised key sees the end of the text...
        #expect(analysisA.normalizedHash == sha256Hex(Normalizer.normalize(a)))
        #expect(analysisA.normalizedHash != analysisB.normalizedHash)
        // ...the fingerprint and search text only its first part, which the two share.
        #expect(!analysisA.minhash.isEmpty)
        #expect(analysisA.minhash == analysisB.minhash)
        #expect(analysisA.fingerprintText.utf8.count <= TextAnalyzer.analysedPrefixBytes)
        #expect(!analysisA.searchText.contains("differs"))
        #expect(analysisA.title == TextAnalyzer.analyze(try Seeds.text(Seeds.names[0])).title)
    }

    @Test func thePrefixEndsAtALineBreakOrAScalarBoundary() {
        let limit = TextAnalyzer.analysedPrefixBytes
        let lines = String(repeating: "سطر فارسی\n", count: limit / 10)
        let prefix = TextAnalyzer.analysedPrefix(of: lines)
        #expect(prefix.utf8.count <= limit)
        #expect(lines.hasPrefix(prefix))
        #expect(lines[lines.index(lines.startIndex, offsetBy: prefix.count)] == "\n")
        // One line of two-byte letters after one ASCII byte: the limit falls inside a letter.
        let oneLine = "x" + String(repeating: "ب", count: limit)
        let cut = TextAnalyzer.analysedPrefix(of: oneLine)
        #expect(cut.utf8.count == limit - 1)
        #expect(cut.unicodeScalars.dropFirst().allSatisfy { $0 == "ب" })
        // A short text is its own prefix.
        #expect(TextAnalyzer.analysedPrefix(of: "short\ntext") == "short\ntext")
    }
}
