import ControlWire
import Hummingbird

/// `/clusters/ID`: a cluster's members side by side, a few at a time (a cluster of thousands
/// of copies pages, it never renders thousands of columns): each member's title, path,
/// language, date, link and similarity, then its text line by line, with the lines that are
/// not in the cluster's first member highlighted and site chrome dimmed.
enum ClusterPage {
    static let membersPerPage = 3

    static func respond(_ backend: any CatalogueBackend, id: String, page: Int) async throws(BackendError)
        -> Response
    {
        guard Links.isClusterID(id) else {
            throw BackendError.notFound("\(id) is not a cluster id (16 hexadecimal digits)")
        }
        let detail = try await backend.cluster(
            ClusterParams(cluster: id, offset: page * membersPerPage, limit: membersPerPage, text: true))
        var reference = detail.files.first
        if page > 0 {
            reference = try await backend.cluster(ClusterParams(cluster: id, offset: 0, limit: 1, text: true))
                .files.first
        }
        let title = detail.files.first?.title ?? "Cluster \(id)"
        return Page.response(
            .ok, Page.document(title: title, body: render(detail, reference: reference, page: page)))
    }

    static func render(_ detail: ClusterDetail, reference: ClusterMemberDetail?, page: Int) -> HTML {
        let first = page * membersPerPage
        let summary =
            "members \(Format.number(first + 1))–\(Format.number(first + detail.files.count)) of \(Format.number(detail.size))"
        let pager = Pager.links(
            page: page, hasNext: first + detail.files.count < detail.size, summary: summary
        ) { Links.cluster(detail.cluster, page: $0) }
        let known = LineDiff.keys(of: reference?.lines ?? [])
        let members = detail.files.enumerated().map { index, member in
            card(member, isReference: page == 0 && index == 0, referenceKeys: known)
        }
        let heading = reference?.title ?? detail.files.first?.title ?? detail.cluster
        return """
            <main class="wide"><h1 dir="auto"\(Format.langAttribute(reference?.lang))>\(heading)</h1>
            <p class="muted">Cluster <code>\(detail.cluster)</code> · \(Format.number(detail.size)) files. \
            Compared with the first member\(reference.map { m in " (<span class=\"path\" dir=\"auto\">\(m.path.display)</span>)" as HTML } ?? .empty).</p>
            <p class="legend muted"><span class="diff">not in the first member</span><span class="chrome">site chrome</span></p>
            \(pager)
            <div class="members cols-\(max(1, detail.files.count))">\(members)</div>
            \(pager)</main>
            """
    }

    static func card(_ member: ClusterMemberDetail, isReference: Bool, referenceKeys: Set<String>) -> HTML {
        let lang = Format.langAttribute(member.lang)
        let similarity: HTML =
            member.jaccard.map { "<dt>Similarity</dt><dd>\(Format.similarity($0)) (Jaccard)</dd>" } ?? .empty
        let text: HTML
        if let lines = member.lines {
            text = """
                <div class="text"\(lang)>\(lines.filter { $0.kind != "blank" }.map { line in
                    let differs = !isReference && line.kind != "chrome" && !referenceKeys.contains(LineDiff.key(line.text))
                    let classes = line.kind + (differs ? " diff" : "")
                    let reason: HTML = line.reason.map { " title=\"\($0)\"" } ?? .empty
                    return "<p dir=\"auto\" class=\"\(classes)\"\(reason)>\(line.text)</p>" as HTML
                })</div>\(member.truncated == true ? "<p class=\"muted\">(the rest of a long file is not shown)</p>" as HTML : .empty)
                """
        } else {
            text = "<p class=\"muted\">The text could not be read now.</p>"
        }
        return """
            <article class="member"><h2 dir="auto"\(lang)><a href="\(Links.article(member.path))">\(member.title ?? member.path.display)</a></h2>
            <dl class="facts"><dt>Path</dt><dd class="path" dir="auto">\(member.path.display)</dd>\
            <dt>Language</dt><dd>\(Format.language(member.lang))</dd>\
            <dt>Date</dt><dd>\(member.published ?? "unknown")</dd>\
            <dt>Link</dt><dd>\(isReference ? "first member, " : "")\(member.link)</dd>\(similarity)</dl>
            \(text)</article>
            """
    }
}

/// Which lines of a member are not in the reference member: compared after trimming and
/// collapsing white space.
enum LineDiff {
    static func key(_ line: String) -> String {
        line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func keys(of lines: [ArticleLine]) -> Set<String> {
        Set(lines.filter { $0.kind != "blank" }.map { key($0.text) })
    }
}
