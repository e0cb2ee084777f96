import Crypto
import Foundation

/// The whole analysis of one article: pure, and safe to call from many threads at once.
public enum TextAnalyzer {
    /// Non-blank lines at the top and bottom searched for a publication date line.
    static let dateHeadLines = 8
    static let dateTailLines = 5
    /// A date line has at most this many tokens (a dateline with place and source fits).
    static let dateLineTokens = 16

    /// Analyses already-decoded text (see `TextDecoder`). `now` bounds plausible dates;
    /// `knownChrome` holds `Normalizer.lineKey`s the catalogue has seen in many clusters.
    /// `wholeTextKey` is the normalised key of a longer text of which `text` is the analysed
    /// prefix (`StreamedText` computes it while it reads a long file).
    public static func analyze(
        _ text: String, now: Date = Date(), knownChrome: Set<UInt64> = [], wholeTextKey: String? = nil
    ) -> ArticleAnalysis {
        // The normalised key covers every byte; the rest of the analysis reads at most the
        // first `analysedPrefixBytes` (see there), cut at a line break.
        let analysed = analysedPrefix(of: text)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(analysed.utf8.count)
        let lines = TextLine.split(analysed, buffer: &buffer)

        let normalizedHash =
            wholeTextKey
            ?? (analysed.utf8.count == text.utf8.count ? hashNormalized(lines) : hashNormalized(text))
        let guess = LanguageDetector.detect(analysed)
        let verdict = BoilerplateClassifier.classify(
            lines, language: guess.language, knownChrome: knownChrome)
        let dates = dateLines(lines, classes: verdict.classes, dayFirst: guess.language != "en")
        var (title, titleSource, titleLine) = TitleExtractor.extract(
            lines, classes: verdict.classes, dateLines: Set(dates.keys), bodyStart: verdict.body?.lowerBound)

        // The body: first to last good line without hard chrome; if that leaves too little,
        // every line that is not hard chrome; if nothing is left, every non-blank line.
        let dateLineSet = Set(dates.keys)
        var bodyIndices = bodyLines(lines, verdict: verdict).filter {
            $0 != titleLine && !dateLineSet.contains($0)
        }
        if shingleCount(lines, bodyIndices) < MinHasher.minimumShingles {
            let relaxed = lines.indices.filter { index in
                if case .chrome = verdict.classes[index] { return false }
                return !lines[index].isBlank && index != titleLine && !dateLineSet.contains(index)
            }
            if shingleCount(lines, relaxed) > shingleCount(lines, bodyIndices) { bodyIndices = relaxed }
        }
        if bodyIndices.isEmpty {
            bodyIndices = lines.indices.filter { !lines[$0].isBlank && $0 != titleLine }
        }
        if titleSource == .none, let first = bodyIndices.first,
            let sentence = TitleExtractor.firstSentence(lines[first].raw)
        {
            title = sentence
            titleSource = .firstSentence
        }

        let boilerplate = auditList(
            lines, verdict: verdict, body: Set(bodyIndices), titleLine: titleLine, dateLines: dateLineSet)
        var stream: [UInt8] = []
        var body: [UInt8] = []
        for index in bodyIndices {
            let normalized = lines[index].normalized
            for byte in normalized where byte != 0x20 { stream.append(byte) }
            if !normalized.isEmpty {
                if !body.isEmpty { body.append(0x20) }
                body.append(contentsOf: normalized)
            }
        }
        // Sorted, up to `Shingler.countedWindows`, for the count of distinct shingles that the
        // writer weighs a candidate pair's sizes by (`MinHashSketch`); the signature is a
        // minimum, so neither the order nor the repeats matter to it.
        var windows = Shingler.windowHashes(ofStream: stream)
        var distinctShingles: Int?
        if windows.count <= Shingler.countedWindows {
            HashSort.sort(&windows)
            distinctShingles = Shingler.distinctCount(ofSorted: windows)
        }
        let hasSignature =
            distinctShingles.map { $0 >= MinHasher.minimumShingles }
            ?? Shingler.hasDistinct(windows, atLeast: MinHasher.minimumShingles)
        let minhash = hasSignature ? MinHasher.signature(of: windows) : []
        let bodyRange = bodyIndices.first.flatMap { first in bodyIndices.last.map { first...$0 } }

        return ArticleAnalysis(
            normalizationVersion: Normalizer.version,
            normalizedHash: normalizedHash,
            language: guess.language,
            languageConfidence: guess.confidence,
            script: guess.script,
            title: title,
            titleSource: titleSource,
            titleLine: titleLine,
            published: published(from: dates, now: now),
            boilerplate: boilerplate,
            bodyLines: bodyRange,
            minhash: minhash,
            shingleCount: distinctShingles,
            normalizedTitleLine: titleLine.map { String(decoding: lines[$0].normalized, as: UTF8.self) }
                ?? "",
            fingerprintText: String(decoding: body, as: UTF8.self),
            evidenceLines: ChromeEvidence.lines(
                lines, used: Set(bodyIndices + (titleLine.map { [$0] } ?? [])), knownChrome: knownChrome))
    }

    /// Bytes of a text that title, date, language, boilerplate, fingerprint and search read:
    /// 256 KiB, three times the longest article of the 15,763 in the corpus (84 KB). A longer
    /// text is not an article (the corpus's own 2.2 MB `index.tsv`, a dump, a log); analysing
    /// all of it cost 17 bytes of transient memory per byte of text, 40 MB of a cold ingest's
    /// peak for that one file. Its exact and normalised keys still cover every byte.
    public static let analysedPrefixBytes = 256 * 1024

    /// The text up to the last line break within `analysedPrefixBytes` (or the whole text).
    public static func analysedPrefix(of text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count > analysedPrefixBytes else { return text }
        let limit = utf8.index(utf8.startIndex, offsetBy: analysedPrefixBytes)
        // A single line longer than the limit is cut at a scalar boundary instead.
        var cut = utf8[..<limit].lastIndex(of: 0x0A) ?? limit
        while cut > utf8.startIndex, UTF8.isContinuation(utf8[cut]) { cut = utf8.index(before: cut) }
        return String(text[..<cut])
    }

    /// SHA-256 of the normalised lines joined by single spaces: the same bytes as
    /// `Normalizer.normalize(text)`, since a line break is a separator like any other.
    static func hashNormalized(_ lines: [TextLine]) -> String {
        var hasher = SHA256()
        var first = true
        for line in lines where !line.normalized.isEmpty {
            if !first { hasher.update(data: [UInt8(0x20)]) }
            hasher.update(data: line.normalized)
            first = false
        }
        return hex(hasher.finalize())
    }

    /// The same key as `hashNormalized(_ lines:)`, for a text too long to hold as lines.
    static func hashNormalized(_ text: String) -> String {
        var stream = NormalizedKeyStream()
        var copy = text
        copy.withUTF8 { bytes in
            // In slices, as a file would arrive: the stream then holds one slice, not a copy.
            for start in stride(from: 0, to: bytes.count, by: 1 << 16) {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<min(start + 1 << 16, bytes.count)])
                stream.feed(UnsafeRawBufferPointer(slice))
            }
        }
        return stream.finish()
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Short lines near the top or bottom that hold a dated day, by line index.
    static func dateLines(
        _ lines: [TextLine], classes: [BoilerplateClassifier.LineClass], dayFirst: Bool
    ) -> [Int: DateMatch] {
        let nonBlank = lines.filter { !$0.isBlank }
        var candidates = Array(nonBlank.prefix(dateHeadLines))
        for line in nonBlank.suffix(dateTailLines)
        where !candidates.contains(where: { $0.index == line.index }) {
            candidates.append(line)
        }
        var out: [Int: DateMatch] = [:]
        for line in candidates where line.tokenCount <= dateLineTokens {
            guard line.normalized.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { continue }
            let matches = DateParser.dates(in: line.raw, dayFirst: dayFirst)
            // A date line is mostly date (a dateline may add a place and an agency): the
            // dates must cover 40% of its tokens, so a sentence that mentions a day is not one.
            let covered = matches.reduce(0) { $0 + $1.tokens.count }
            let total = DateParser.tokenCount(of: line.raw)
            guard covered * 5 >= total * 2 else { continue }
            // The finest date on the line (a Hijri date and its Gregorian twin agree anyway).
            if let best = matches.filter({ $0.precision >= .day }).max(by: { $0.precision < $1.precision }) {
                out[line.index] = best
            }
        }
        return out
    }

    /// The publication date: the first plausible date line from the top, else from the bottom.
    static func published(from dates: [Int: DateMatch], now: Date) -> Date? {
        for index in dates.keys.sorted() {
            if let match = dates[index], DateParser.isPlausible(match.date, now: now) { return match.date }
        }
        return nil
    }

    /// Lines from the first to the last good one, without blank and hard-chrome lines.
    private static func bodyLines(_ lines: [TextLine], verdict: BoilerplateClassifier.Verdict) -> [Int] {
        guard let body = verdict.body else { return [] }
        return body.filter { index in
            switch verdict.classes[index] {
            case .blank, .chrome: return false
            default: return true
            }
        }
    }

    private static func shingleCount(_ lines: [TextLine], _ indices: [Int]) -> Int {
        var scalars = 0
        for index in indices { scalars += lines[index].streamScalars }
        return max(0, scalars - Shingler.width + 1)
    }

    private static func auditList(
        _ lines: [TextLine], verdict: BoilerplateClassifier.Verdict, body: Set<Int>, titleLine: Int?,
        dateLines: Set<Int>
    ) -> [BoilerplateLine] {
        var out: [BoilerplateLine] = []
        for line in lines where !line.isBlank && !body.contains(line.index) && line.index != titleLine {
            let reason: String
            switch verdict.classes[line.index] {
            case _ where dateLines.contains(line.index):
                reason = "date line"
            case .chrome(let why):
                reason = why
            case let soft:
                let position: String
                if let range = verdict.body, line.index > range.upperBound {
                    position = "after body"
                } else {
                    position = "before body"
                }
                reason = position + ": " + describe(soft)
            }
            out.append(BoilerplateLine(line: line.index, reason: reason))
        }
        return out
    }

    private static func describe(_ value: BoilerplateClassifier.LineClass) -> String {
        switch value {
        case .blank: return "blank"
        case .chrome(let why): return why
        case .good: return "good"
        case .nearGood: return "near-good"
        case .short: return "short"
        case .bad: return "bad"
        }
    }
}
