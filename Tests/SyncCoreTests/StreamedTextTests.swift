import Foundation
import TestSupport
import Testing

@testable import Catalogue
@testable import Dedup
@testable import SyncCore
@testable import TextAnalysis

/// Files longer than the analysed prefix are read in chunks (`StreamedText`): what the reader
/// reports must be what reading the whole file would have given.
struct StreamedTextTests {
    static let limit = TextAnalyzer.analysedPrefixBytes

    /// Reads `bytes` written to a scratch file through the reader the daemon uses.
    static func read(_ bytes: [UInt8], sizeLimit: Int64 = 32 << 20) throws -> FileContent {
        let scratch = try Scratch("streamed")
        let path = try scratch.write("long.txt", bytes: bytes)
        guard case .read(_, let content) = FileReader(sizeLimit: sizeLimit).read(Array(path.utf8CString))
        else {
            throw ScratchError("the reader did not read \(path)")
        }
        return content
    }

    /// Seed articles one after another past `bytes`, with CRLF, lone CR and a BOM in them.
    static func longText(atLeast bytes: Int, lineBreak: String = "\r\n") throws -> String {
        var text = "\u{FEFF}"
        while text.utf8.count <= bytes {
            for name in Seeds.names { text += try Seeds.text(name) + lineBreak + "a\rb" + lineBreak }
        }
        return text
    }

    @Test func aLongTextHasTheWholeTextKeyAndThePrefixTheAnalysisReads() throws {
        let text = try Self.longText(atLeast: 3 * Self.limit + 12_345)
        let content = try Self.read(Array(text.utf8))
        #expect(content.problem == nil)
        #expect(content.size == Int64(text.utf8.count))
        let whole = try #require(TextDecoder.decode(Array(text.utf8)))
        #expect(content.wholeTextKey == TextAnalyzer.analyze(whole).normalizedHash)
        let prefix = try #require(content.text)
        #expect(prefix.utf8.count <= Self.limit)
        #expect(text.utf8.starts(with: prefix.utf8))
        #expect(text.utf8.dropFirst(prefix.utf8.count).first == 0x0A)
    }

    @Test func withoutCarriageReturnsTheAnalysisIsTheWholeFilesAnalysis() throws {
        let text = try Self.longText(atLeast: 2 * Self.limit, lineBreak: "\n").replacingOccurrences(
            of: "\r", with: "\n")
        let content = try Self.read(Array(text.utf8))
        let streamed = ContentAnalysis(text: try #require(content.text), wholeTextKey: content.wholeTextKey)
        #expect(streamed == ContentAnalysis(text: text))
    }

    @Test func aNULOrABadByteIsReportedAtItsOffsetInAnyChunk() throws {
        let base = Array(try Self.longText(atLeast: 2 * Self.limit).utf8)
        // Just past the first read chunk (256 KiB), and far into the file.
        for offset in [Self.limit + 3, base.count - 100] {
            var withNUL = base
            withNUL[offset] = 0
            #expect(try Self.read(withNUL).problem == .binary(offset: offset))
            var withBadByte = base
            withBadByte[offset] = 0xFF
            // Where the whole-file check puts it (the letter before, when 0xFF cut one).
            let expected = try #require(TextValidation.firstInvalidUTF8Offset(in: withBadByte))
            #expect((offset - 3...offset).contains(expected))
            #expect(try Self.read(withBadByte).problem == .notUTF8(offset: expected))
            #expect(try Self.read(withBadByte).text == nil)
        }
        // A letter cut by the end of the file.
        let cut = base + [0xD8]
        #expect(try Self.read(cut).problem == .notUTF8(offset: base.count))
        // A NUL outranks a bad byte before it, as for a file read whole.
        var both = base
        both[Self.limit + 10] = 0xFF
        both[base.count - 10] = 0
        #expect(try Self.read(both).problem == .binary(offset: base.count - 10))
    }

    @Test func aTextOverTheSizeLimitIsOnlyHashed() throws {
        let text = try Self.longText(atLeast: Self.limit + 10)
        let content = try Self.read(Array(text.utf8), sizeLimit: Int64(Self.limit) + 5)
        #expect(content.problem == .tooLarge(size: Int64(text.utf8.count), limit: Int64(Self.limit) + 5))
        #expect(content.text == nil)
    }

    @Test func theKeyDoesNotDependOnHowTheBytesArrive() throws {
        let text = Array(try Self.longText(atLeast: 200_000).utf8)
        var (generator, seed) = TestSeed.generator("theKeyDoesNotDependOnHowTheBytesArrive")
        for _ in 0..<5 {
            var stream = NormalizedKeyStream()
            var start = 0
            while start < text.count {
                let end = min(text.count, start + Int.random(in: 1...9_000, using: &generator))
                text[start..<end].withUnsafeBytes { stream.feed($0) }
                start = end
            }
            #expect(
                stream.finish() == TextAnalyzer.hashNormalized(String(decoding: text, as: UTF8.self)),
                "seed \(seed)")
        }
        #expect(
            TextAnalyzer.hashNormalized(String(decoding: text, as: UTF8.self))
                == sha256Hex(Normalizer.normalize(String(decoding: text, as: UTF8.self))))
    }

    @Test func aRunWithoutSeparatorsIsCutAndTheStreamStaysBounded() {
        // Two megabytes of one Persian "word", twice: cut at a scalar boundary, never held whole.
        let run = Array(String(repeating: "ب", count: NormalizedKeyStream.longestRun).utf8)
        var whole = NormalizedKeyStream()
        run.withUnsafeBytes { whole.feed($0) }
        run.withUnsafeBytes { whole.feed($0) }
        #expect(whole.heldBytes <= NormalizedKeyStream.longestRun)
        // The cuts fall at the same places however the run arrives: the key is the bytes'.
        var sliced = NormalizedKeyStream()
        let twice = run + run
        for start in stride(from: 0, to: twice.count, by: 10_001) {
            twice[start..<min(start + 10_001, twice.count)].withUnsafeBytes { sliced.feed($0) }
        }
        #expect(sliced.heldBytes <= NormalizedKeyStream.longestRun)
        #expect(whole.finish() == sliced.finish())
    }
}
