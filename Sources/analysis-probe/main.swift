// analysis-probe: prints what TextAnalysis and Dedup make of files, for the Python
// measurement scripts in scripts/. Not part of newsd.
//
//   analysis-probe analyze [--now ISO8601] FILE... | -     JSON line per file
//   analysis-probe detect                                  JSON line per stdin line
//   analysis-probe bench [--repeat N] FILE... | -          single-core throughput
//   analysis-probe cluster [--bands B --rows R] FILE... | -   JSON {path: cluster}
//   analysis-probe calendar-tables > Sources/TextAnalysis/CalendarTables.swift
//   analysis-probe normalization-table > Sources/TextAnalysis/NormalizationTableData.swift
import Crypto
import Dedup
import Foundation
import TextAnalysis

/// One file's analysis as JSON.
struct AnalyzeRecord: Codable {
    var path: String
    var lang: String
    var conf: Double
    var script: String
    var title: String?
    var titleSource: String
    var titleLine: Int?
    var published: String?
    var normalizedHash: String
    var shingles: Int
    var minhash: Bool
    var bodyLines: [Int]?
    var boilerplate: [BoilerplateLine]
    var line1Lang: String
    var line1Conf: Double
}

/// One stdin line's language as JSON.
struct DetectRecord: Codable {
    var lang: String
    var conf: Double
    var script: String
}

/// Cluster output: assignment per path plus counters.
struct ClusterOutput: Codable {
    var assign: [String: Int64]
    var candidates: Int
    var verifiedNear: Int
    var exactEdges: Int
    var normalizedEdges: Int
    var analyzeSeconds: Double
    var dedupSeconds: Double
    var bands: Int
    var rows: Int
}

func paths(_ args: ArraySlice<String>) -> [String] {
    if args == ["-"] {
        var out: [String] = []
        while let line = readLine() {
            if !line.isEmpty { out.append(line) }
        }
        return out
    }
    return Array(args)
}

func readBytes(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        return []
    }
    return [UInt8](data)
}

/// CPU time of this process (user + system), which other load on the machine does not inflate.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1_000_000
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1_000_000
    return user + system
}

func option(_ name: String, in args: inout ArraySlice<String>) -> String? {
    guard let index = args.firstIndex(of: name), index + 1 < args.endIndex else { return nil }
    let value = args[index + 1]
    args.removeSubrange(index...(index + 1))
    return value
}

let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
let iso = ISO8601DateFormatter()

func emit<T: Encodable>(_ value: T) {
    if let data = try? encoder.encode(value) {
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// Swift source declaring `table` as `name`, for `calendar-tables`.
func swiftSource(_ table: CalendarTable, name: String) -> String {
    func rows<T>(_ values: [T], perLine: Int, _ format: (T) -> String) -> String {
        stride(from: 0, to: values.count, by: perLine).map { start in
            "        "
                + values[start..<min(start + perLine, values.count)].map(format).joined(separator: ", ") + ","
        }.joined(separator: "\n")
    }
    return """
        let \(name) = CalendarTable(
            firstYear: \(table.firstYear),
            yearStarts: [
        \(rows(table.yearStarts, perLine: 10) { String($0) })
            ],
            monthLengths: [
        \(rows(table.monthLengths, perLine: 6) { "0x" + String($0, radix: 16, uppercase: true) })
            ])
        """
}

var arguments = CommandLine.arguments.dropFirst()
guard let command = arguments.popFirst() else {
    print("usage: analysis-probe analyze|detect|bench|cluster ...")
    exit(2)
}

switch command {
case "analyze":
    let now = option("--now", in: &arguments).flatMap { iso.date(from: $0) } ?? Date()
    for path in paths(arguments) {
        guard let text = TextDecoder.decode(readBytes(path)) else {
            FileHandle.standardError.write(Data("invalid UTF-8: \(path)\n".utf8))
            continue
        }
        let analysis = TextAnalyzer.analyze(text, now: now)
        let line1 = LanguageDetector.detect(text.split(separator: "\n", maxSplits: 1).first ?? "")
        emit(
            AnalyzeRecord(
                path: path, lang: analysis.language, conf: analysis.languageConfidence,
                script: analysis.script,
                title: analysis.title, titleSource: analysis.titleSource.rawValue,
                titleLine: analysis.titleLine,
                published: analysis.published.map { iso.string(from: $0) },
                normalizedHash: analysis.normalizedHash,
                shingles: analysis.shingles.count, minhash: !analysis.minhash.isEmpty,
                bodyLines: analysis.bodyLines.map { [$0.lowerBound, $0.upperBound] },
                boilerplate: analysis.boilerplate, line1Lang: line1.language, line1Conf: line1.confidence))
    }
case "detect":
    while let line = readLine() {
        let guess = LanguageDetector.detect(line)
        emit(DetectRecord(lang: guess.language, conf: guess.confidence, script: guess.script))
    }
case "bench":
    let repeats = option("--repeat", in: &arguments).flatMap { Int($0) } ?? 1
    let files = paths(arguments).map(readBytes)
    let totalBytes = files.reduce(0) { $0 + $1.count }
    var best = Double.infinity
    var bestCPU = Double.infinity
    var checksum = 0
    _ = TextAnalyzer.analyze("warm up the normalisation table")
    for _ in 0..<repeats {
        let start = Date()
        let cpuStart = cpuSeconds()
        for bytes in files {
            guard let text = TextDecoder.decode(bytes) else { continue }
            let analysis = TextAnalyzer.analyze(text)
            checksum &+= analysis.minhash.count &+ analysis.fingerprintText.utf8.count
        }
        best = min(best, Date().timeIntervalSince(start))
        bestCPU = min(bestCPU, cpuSeconds() - cpuStart)
    }
    let megabytes = Double(totalBytes) / 1_000_000
    print(
        String(
            format: "%d files, %.1f MB: wall %.2f s = %.1f MB/s, %.0f files/s; CPU %.2f s = %.1f MB/s, "
                + "%.0f files/s (one thread, best of %d; checksum %d)",
            files.count, megabytes, best, megabytes / best, Double(files.count) / best, bestCPU,
            megabytes / bestCPU, Double(files.count) / bestCPU, repeats, checksum))
case "pair":
    // Similarity of two files' fingerprints, as NearDuplicate sees them.
    let list = paths(arguments)
    guard list.count == 2 else {
        print("usage: analysis-probe pair A B")
        exit(2)
    }
    let a = TextAnalyzer.analyze(TextDecoder.decode(readBytes(list[0])) ?? "")
    let b = TextAnalyzer.analyze(TextDecoder.decode(readBytes(list[1])) ?? "")
    let s = NearDuplicate.similarity(a.shingles, b.shingles)
    let shared = Set(LSH.bandKeys(a.minhash)).intersection(LSH.bandKeys(b.minhash)).count
    print(
        String(
            format: "sizes %d %d  jaccard %.3f  containment %.3f  ratio %.3f  edge %@  shared bands %d",
            a.shingles.count, b.shingles.count, s.jaccard, s.containment, s.sizeRatio,
            NearDuplicate.verify(a.shingles, b.shingles) == nil ? "no" : "yes", shared))
case "stages":
    // Rough cost of the public building blocks over the same files, one thread.
    let files = paths(arguments).compactMap { TextDecoder.decode(readBytes($0)) }
    let megabytes = Double(files.reduce(0) { $0 + $1.utf8.count }) / 1_000_000
    _ = Normalizer.normalize("warm up")
    func stage(_ name: String, _ body: (String) -> Int) {
        let start = cpuSeconds()
        var sink = 0
        for text in files { sink &+= body(text) }
        let seconds = cpuSeconds() - start
        let padded = name.padding(toLength: 12, withPad: " ", startingAt: 0)
        print(padded + String(format: " %.3f s  %.1f MB/s  (%d)", seconds, megabytes / seconds, sink))
    }
    stage("normalize") { Normalizer.normalize($0).utf8.count }
    stage("language") { LanguageDetector.detect($0).language.utf8.count }
    let normalized = files.map(Normalizer.normalize)
    var index = 0
    stage("shingles") { _ in
        defer { index += 1 }
        return Shingler.shingles(ofNormalized: normalized[index]).count
    }
    let shingled = normalized.map(Shingler.shingles(ofNormalized:))
    index = 0
    stage("minhash") { _ in
        defer { index += 1 }
        return MinHasher.signature(of: shingled[index]).count
    }
    stage("analyze") { TextAnalyzer.analyze($0).minhash.count }
case "cluster":
    let bands = option("--bands", in: &arguments).flatMap { Int($0) } ?? LSH.standard.bands
    let rows = option("--rows", in: &arguments).flatMap { Int($0) } ?? LSH.standard.rows
    let configuration = LSH.Configuration(bands: bands, rows: rows)
    let list = paths(arguments)
    let start = Date()
    var analyses: [ArticleAnalysis] = []
    var digests: [String] = []
    for path in list {
        let bytes = readBytes(path)
        digests.append(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        analyses.append(TextAnalyzer.analyze(TextDecoder.decode(bytes) ?? ""))
    }
    let analyzed = Date()
    var edges: [DuplicateEdge] = []
    var exactEdges = 0
    var normalizedEdges = 0
    var firstByDigest: [String: Int] = [:]
    var firstByNormalized: [String: Int] = [:]
    var buckets: [UInt64: [Int]] = [:]
    for (index, analysis) in analyses.enumerated() {
        if let first = firstByDigest[digests[index]] {
            edges.append(DuplicateEdge(Int64(first), Int64(index), kind: .exact))
            exactEdges += 1
        } else {
            firstByDigest[digests[index]] = index
        }
        if let first = firstByNormalized[analysis.normalizedHash] {
            edges.append(DuplicateEdge(Int64(first), Int64(index), kind: .normalized))
            normalizedEdges += 1
        } else {
            firstByNormalized[analysis.normalizedHash] = index
        }
        for key in LSH.bandKeys(analysis.minhash, configuration: configuration) {
            buckets[key, default: []].append(index)
        }
    }
    var candidates = Set<Int64>()
    for members in buckets.values where members.count > 1 {
        for i in members.indices {
            for j in members.indices where j > i {
                candidates.insert(Int64(members[i]) << 32 | Int64(members[j]))
            }
        }
    }
    var verified = 0
    for pair in candidates {
        let a = Int(pair >> 32)
        let b = Int(pair & 0xFFFF_FFFF)
        if let similarity = NearDuplicate.verify(analyses[a].shingles, analyses[b].shingles) {
            edges.append(DuplicateEdge(Int64(a), Int64(b), kind: .near, similarity: similarity.strength))
            verified += 1
        }
    }
    let clusters = Clusterer.clusters(nodes: (0..<Int64(list.count)).map { $0 }, edges: edges)
    var assign: [String: Int64] = [:]
    for cluster in clusters {
        guard let id = cluster.first else { continue }
        for member in cluster { assign[list[Int(member)]] = id }
    }
    let done = Date()
    emit(
        ClusterOutput(
            assign: assign, candidates: candidates.count, verifiedNear: verified, exactEdges: exactEdges,
            normalizedEdges: normalizedEdges, analyzeSeconds: analyzed.timeIntervalSince(start),
            dedupSeconds: done.timeIntervalSince(analyzed), bands: bands, rows: rows))
case "calendar-tables":
    // The Persian solar and Umm al-Qura Hijri calendars as data, measured from Foundation's
    // (ICU's) calendars: DateParser converts with the tables, without loading ICU.
    print(
        """
        // Generated by `analysis-probe calendar-tables` from Foundation's (ICU's) Persian and
        // Umm al-Qura calendars. Do not edit; regenerate if those calendars change.

        /// The Persian solar calendar (Solar Hijri), years 1300-1499 (1921-2121).
        \(swiftSource(CalendarTable.measure(.persian, years: 1300...1499), name: "persianCalendarTable"))

        /// The Umm al-Qura Hijri calendar, years 1300-1600 (1882-2174), the range ICU has tables for.
        \(swiftSource(CalendarTable.measure(.islamicUmmAlQura, years: 1300...1600), name: "ummAlQuraCalendarTable"))
        """)
case "normalization-table":
    // The normaliser's per-scalar table, measured with Foundation's normalisation.
    let (exceptions, expansions) = NormalizationTable.measure().encoded()
    // 96 digits a line, indented as swift-format wants a multi-line literal (the decoder skips
    // the line breaks and spaces).
    func indented(_ digits: String) -> String {
        stride(from: 0, to: digits.count, by: 96).map { start in
            let from = digits.index(digits.startIndex, offsetBy: start)
            return "    " + digits[from...].prefix(96)
        }.joined(separator: "\n")
    }
    print(
        """
        // Generated by `analysis-probe normalization-table` from `NormalizationTable.measure()`
        // (Foundation's normalisation over every BMP scalar). Do not edit; regenerate when the
        // normaliser's steps or the Unicode version change (a test compares the two).

        /// Every BMP scalar whose entry is not the scalar itself: 4 hex digits of scalar, 8 of entry.
        let normalizationTableExceptions = \"\"\"
        \(indented(exceptions))
            \"\"\"

        /// The multi-scalar results the entries point into, 8 hex digits each.
        let normalizationTableExpansions = \"\"\"
        \(indented(expansions))
            \"\"\"
        """)
default:
    print("unknown command \(command)")
    exit(2)
}
