import ControlWire
import Foundation
import NewsCore
import SyncCore
import TextAnalysis

/// The read-only methods the web page needs beyond `newsctl`'s: `cluster` (one cluster's
/// members, paged, with their text line by line) and `languages` (texts per language).
extension ControlHandler {
    func cluster(_ params: ClusterParams) async throws -> ClusterDetail {
        let limit = params.limit ?? ClusterParams.defaultLimit
        guard limit >= 1, limit <= ClusterParams.maxLimit else {
            throw ControlError(.badParams, "limit must be between 1 and \(ClusterParams.maxLimit)")
        }
        let offset = max(0, params.offset ?? 0)
        var first: RelativePath?
        if let b64 = params.pathB64 {
            first = RelativePath(bytes: try Self.base64(b64, "path_b64"))
        } else if let text = params.path {
            first = try relativePath(text)
        }
        let id: String
        if let first {
            guard let (file, _) = try await context.database.file(at: first) else {
                throw ControlError(.notFound, "\(first.display) is not in the catalogue")
            }
            guard let cluster = file.cluster else {
                throw ControlError(
                    .notFound,
                    "\(first.display) has no text in the catalogue (\(file.reason ?? file.state.rawValue))")
            }
            id = cluster
        } else if let cluster = params.cluster {
            id = cluster.lowercased()
        } else {
            throw ControlError(.badParams, "cluster needs \"cluster\" (an id) or \"path\" (or \"path_b64\")")
        }
        let (size, entries) = try await context.database.clusterMembers(
            cluster: id, first: first, offset: offset, limit: limit)
        guard size > 0 else { throw ControlError(.notFound, "no cluster \(id) in the catalogue") }
        let withText = params.text ?? false
        return ClusterDetail(
            cluster: id, size: size,
            files: entries.map { entry in
                var detail = ClusterMemberDetail(
                    path: WirePath(bytes: entry.member.path.bytes), title: entry.member.title,
                    lang: entry.member.language, published: entry.published.map(WireDate.iso8601),
                    link: entry.member.link.rawValue, jaccard: entry.member.jaccard)
                if withText, let (lines, truncated) = articleLines(entry.member.path) {
                    detail.lines = lines
                    detail.truncated = truncated
                }
                return detail
            })
    }

    func languages() async throws -> LanguagesResult {
        let (counts, lastSeq) = try await context.database.languageCounts()
        return LanguagesResult(languages: counts, lastSeq: lastSeq)
    }

    /// The file's text as it is now, line by line, each with the analysis's verdict (under the
    /// catalogue's current chrome verdicts); `nil` when it cannot be read as text.
    private func articleLines(_ path: RelativePath) -> (lines: [ArticleLine], truncated: Bool)? {
        let reader = FileReader(sizeLimit: 4 << 20)
        guard case .read(_, let content) = reader.read(context.tree.cPath(path)), let raw = content.text
        else {
            return nil
        }
        let text = TextDecoder.clean(raw)
        let analysed = TextAnalyzer.analysedPrefix(of: text)
        let analysis = TextAnalyzer.analyze(analysed, knownChrome: context.database.knownChrome.snapshot)
        var reasons: [Int: String] = [:]
        for line in analysis.boilerplate { reasons[line.line] = line.reason }
        let lines = analysed.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().map {
            index, bytes in
            let line = String(decoding: bytes, as: UTF8.self)
            if let reason = reasons[index] { return ArticleLine(text: line, kind: "chrome", reason: reason) }
            if index == analysis.titleLine { return ArticleLine(text: line, kind: "title") }
            let blank = line.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0 == "\u{200C}" }
            return ArticleLine(text: line, kind: blank ? "blank" : "body")
        }
        return (lines, content.size > Int64(analysed.utf8.count))
    }
}
