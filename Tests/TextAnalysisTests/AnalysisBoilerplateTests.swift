import Foundation
import TestSupport
import Testing

@testable import TextAnalysis

/// Chrome on the five seeds: visible chrome flagged, article paragraphs kept.
struct AnalysisBoilerplateTests {
    /// Seed → (0-based lines that are chrome, title line or nil).
    static let expectations: [(String, [Int], Int?)] = [
        ("000_9b9f0b0c4bd5f601.txt", [0], 1),
        ("001_5aef100b6d616e8f.txt", [14, 15], 0),
        ("002_1b7f967809f53ab6.txt", [0, 4], 2),
        ("003_15e6eb85c3f0274a.txt", [0], nil),
        ("004_f959d564852dad14.txt", [0, 36, 40, 41, 42, 44, 46, 48, 50], 4),
    ]

    @Test("seed chrome", arguments: expectations)
    func seedChrome(_ row: (String, [Int], Int?)) throws {
        let text = try Seeds.text(row.0)
        let analysis = TextAnalyzer.analyze(text)
        #expect(analysis.boilerplate.map(\.line) == row.1, "\(row.0): \(analysis.boilerplate)")
        #expect(analysis.titleLine == row.2)
        // Every other non-blank line is fingerprinted and searchable.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let chrome = Set(row.1)
        for (index, line) in lines.enumerated() where !chrome.contains(index) && index != row.2 {
            let normalized = Normalizer.normalize(String(line))
            if normalized.isEmpty { continue }
            #expect(analysis.searchText.contains(normalized), "\(row.0) line \(index) missing from the body")
        }
        for index in row.1 {
            let normalized = Normalizer.normalize(String(lines[index]))
            #expect(
                !(" " + analysis.searchText + " ").contains(" " + normalized + " "),
                "\(row.0) line \(index) kept")
        }
    }

    @Test func reasonsAreSpecific() throws {
        let reasons = Dictionary(
            uniqueKeysWithValues: TextAnalyzer.analyze(try Seeds.text("004_f959d564852dad14.txt")).boilerplate
                .map {
                    ($0.line, $0.reason)
                })
        #expect(reasons[0] == "pattern: navigation")  // Get News Fast
        #expect(reasons[48] == "captcha")  // 2 × 1 =
        #expect(reasons[50] == "pattern: navigation")  // دکمه بازگشت به بالا
        #expect(reasons[46] == "pattern: comment form or notice")
        let seed1 = TextAnalyzer.analyze(try Seeds.text("001_5aef100b6d616e8f.txt")).boilerplate
        // "Search" and "Date archive".
        #expect(seed1.map(\.reason) == ["pattern: navigation", "pattern: navigation"])
        let seed0 = TextAnalyzer.analyze(try Seeds.text("000_9b9f0b0c4bd5f601.txt")).boilerplate
        #expect(seed0.map(\.reason) == ["date line"])
    }

    @Test func structuralShapes() {
        let text = """
            Breaking story about the budget

            The finance minister presented the budget to parliament on Tuesday and said the deficit would fall.
            https://example.com/story/123
            -----
            Read more
            © 2024 Example News. All rights reserved.
            Facebook Twitter WhatsApp
            14:27
            #budget #economy
            """
        let reasons = TextAnalyzer.analyze(text).boilerplate.map(\.reason)
        #expect(reasons.contains("lone URL"))
        #expect(reasons.contains("separator"))
        #expect(reasons.contains("pattern: navigation"))
        #expect(reasons.contains("copyright"))
        #expect(reasons.contains("share buttons"))
        #expect(reasons.contains("lone time"))
        #expect(reasons.contains("hashtags"))
    }

    @Test func knownChromeRemovesCorpusLines() {
        let text = """
            A headline for the test article

            The finance minister presented the budget to parliament on Tuesday and said the deficit would fall sharply.
            The opposition said the plan was not credible and that the numbers did not add up at all this year.
            Subscribe to the Daily Example for more stories like this one every single morning of the week.
            """
        let plain = TextAnalyzer.analyze(text)
        #expect(plain.boilerplate.isEmpty)
        let key = Normalizer.lineKey(
            Normalizer.normalize(
                "Subscribe to the Daily Example for more stories like this one every single morning of the week."
            ))
        let withEvidence = TextAnalyzer.analyze(text, knownChrome: [key])
        #expect(withEvidence.boilerplate == [BoilerplateLine(line: 4, reason: "corpus chrome")])
        #expect(withEvidence.shingles.count < plain.shingles.count)
        // The normalised key does not move with the chrome evidence.
        #expect(withEvidence.normalizedHash == plain.normalizedHash)
    }

    @Test func neverAnEmptyBody() {
        // Only short lines: no good line, so the body falls back to the text minus pattern chrome.
        let text = "Search\nShort line one\nShort line two here\nAnother short one\nRead more"
        let analysis = TextAnalyzer.analyze(text)
        #expect(!analysis.shingles.isEmpty)
        #expect(analysis.boilerplate.map(\.line) == [0, 4])
        #expect(analysis.searchText.contains("short line two here"))
        // Chrome only: the body is what there is.
        let onlyChrome = TextAnalyzer.analyze("Search\nRead more")
        #expect(!onlyChrome.shingles.isEmpty)
        #expect(TextAnalyzer.analyze("").shingles.isEmpty)
    }
}
