import ControlWire
import Foundation
import Hummingbird

/// `/article?p=…`: one file: its metadata, its cluster, its exact duplicates and related
/// files, and its text as written, every line a paragraph with `dir="auto"` (chrome dimmed).
/// A file in error shows why.
enum ArticlePage {
    static func respond(_ backend: any CatalogueBackend, parameter: String?) async throws(BackendError)
        -> Response
    {
        guard let parameter, let path = Links.path(fromParameter: parameter) else {
            throw BackendError.badRequest("this address names no file (p= is missing or not base64url)")
        }
        let detail = try await backend.show(path)
        var cluster: ClusterDetail?
        if detail.file.state == "ok", detail.file.cluster != nil {
            do {
                cluster = try await backend.cluster(
                    ClusterParams(pathB64: path.exactBase64, limit: 1, text: true))
            } catch .notFound {
                cluster = nil
            }
        }
        let title = detail.file.title ?? detail.file.path.display
        return Page.response(.ok, Page.document(title: title, body: render(detail, cluster: cluster)))
    }

    static func render(_ detail: FileDetail, cluster: ClusterDetail?) -> HTML {
        let file = detail.file
        let lang = Format.langAttribute(file.lang)
        let member = cluster?.files.first
        var facts: [HTML] = [
            "<dt>Path</dt><dd class=\"path\" dir=\"auto\">\(file.path.display)</dd>",
            "<dt>State</dt><dd><span class=\"state state-\(file.state)\">\(file.state)</span></dd>",
        ]
        if let reason = file.reason {
            facts.append("<dt>Reason</dt><dd class=\"error-reason\" dir=\"auto\">\(reason)</dd>")
        }
        facts.append("<dt>Size</dt><dd>\(Format.number(Int(file.size))) bytes</dd>")
        if let code = file.lang {
            let confidence = detail.languageConfidence.map { " (confidence \(Format.similarity($0)))" } ?? ""
            facts.append("<dt>Language</dt><dd>\(Format.language(code))\(confidence)</dd>")
        }
        if let script = detail.script { facts.append("<dt>Script</dt><dd>\(script)</dd>") }
        facts.append("<dt>Published</dt><dd>\(file.published ?? "unknown")</dd>")
        facts.append("<dt>Modified</dt><dd>\(Format.time(nanoseconds: detail.mtimeNanoseconds))</dd>")
        if let sha = file.sha256 { facts.append("<dt>SHA-256</dt><dd><code>\(sha)</code></dd>") }
        if let cluster {
            facts.append(
                cluster.size > 1
                    ? "<dt>Cluster</dt><dd><a href=\"\(Links.cluster(cluster.cluster))\">\(Format.number(cluster.size)) files</a> (this one \(member?.link ?? ""))</dd>"
                    : "<dt>Cluster</dt><dd class=\"muted\">none: no other file is the same article</dd>")
        }
        let duplicates: HTML =
            detail.duplicates.isEmpty
            ? .empty
            : "<h2>Exact duplicates</h2><ul>\(detail.duplicates.map { "<li><a class=\"path\" dir=\"auto\" href=\"\(Links.article($0.path))\">\($0.path.display)</a></li>" as HTML })</ul>"
        let related: HTML =
            detail.related.isEmpty
            ? .empty
            : """
            <h2>Related</h2><div class="scroll"><table><thead><tr><th>File</th><th>Link</th><th class="num">Similarity</th>\
            <th class="num optional">Containment</th></tr></thead><tbody>\(detail.related.map { related in
                "<tr><td><a class=\"path\" dir=\"auto\" href=\"\(Links.article(related.path))\">\(related.path.display)</a></td><td>\(related.link)</td><td class=\"num\">\(Format.similarity(related.jaccard))</td><td class=\"num optional\">\(Format.similarity(related.containment))</td></tr>" as HTML
            })</tbody></table></div>
            """
        let text: HTML
        if let lines = member?.lines {
            text = """
                <h2>Text</h2><div class="text"\(lang)>\(lines.filter { $0.kind != "blank" }.map { line in
                    let reason: HTML = line.reason.map { " title=\"\($0)\"" } ?? .empty
                    return "<p dir=\"auto\" class=\"\(line.kind)\"\(reason)>\(line.text)</p>" as HTML
                })</div>\(member?.truncated == true ? "<p class=\"muted\">(the rest of a long file is not shown)</p>" as HTML : .empty)
                """
        } else if file.state == "ok" {
            text = "<p class=\"muted\">No text to show: the file is not analysed text.</p>"
        } else {
            text = .empty
        }
        return """
            <main><h1 dir="auto"\(lang)>\(file.title ?? file.path.display)</h1>
            <dl class="facts">\(facts)</dl>
            \(duplicates)\(related)\(text)</main>
            """
    }
}
