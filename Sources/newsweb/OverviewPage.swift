import ControlWire
import Hummingbird
import Synchronization

/// `/`: the daemon's state, the catalogue's counts and warnings, texts per language (an inline
/// SVG bar chart), files in error and the latest changes, kept live by `/events` when the
/// browser runs the page's script (without it the page is complete as served).
final class OverviewPage: Sendable {
    let backend: any CatalogueBackend
    /// Languages are counted over every file: counted again only when the log has moved.
    private let languageCache = Mutex<(key: String, languages: [String: Int])?>(nil)
    static let latestChanges = 20
    static let errorsShown = 10

    init(backend: any CatalogueBackend) { self.backend = backend }

    func respond() async throws(BackendError) -> Response {
        let status = try await backend.status()
        let changes = try await latest(status)
        var errors: [FileRecord] = []
        if status.errors > 0 { errors = try await backend.errors(limit: Self.errorsShown).files }
        let languages = try await languageCounts(status)
        return Page.response(
            .ok,
            Page.document(
                title: "Overview", head: "<script src=\"\(Assets.scriptPath)\" defer></script>",
                body: Self.render(status: status, languages: languages, changes: changes, errors: errors)))
    }

    private func languageCounts(_ status: StatusResult) async throws(BackendError) -> [String: Int] {
        let key = "\(status.epoch):\(status.lastSeq):\(status.backfillRemaining ?? 0)"
        if let cached = languageCache.withLock({ $0 }), cached.key == key { return cached.languages }
        let languages = try await backend.languages().languages
        languageCache.withLock { $0 = (key, languages) }
        return languages
    }

    /// The newest changes, newest first (from the pruning mark at the oldest, so the daemon
    /// never answers with a full listing instead).
    private func latest(_ status: StatusResult) async throws(BackendError) -> [ChangeRecord] {
        guard status.lastSeq > 0 else { return [] }
        let from = max(status.lastSeq - Int64(Self.latestChanges), status.prunedThrough, 0)
        let result = try await backend.changes(since: "\(status.epoch):\(from)", limit: Self.latestChanges)
        return result.freshInstance ? [] : result.changes.reversed()
    }

    static func render(
        status: StatusResult, languages: [String: Int], changes: [ChangeRecord], errors: [FileRecord]
    ) -> HTML {
        let counts: [(String, String, Int)] = [
            ("files", "files", status.files), ("contents", "distinct contents", status.contents),
            ("duplicate_groups", "exact-duplicate groups", status.duplicateGroups),
            ("clusters", "clusters", status.clusters ?? 0), ("errors", "in error", status.errors),
            ("skipped", "skipped", status.skipped), ("queue", "queued changes", status.queue),
        ]
        let countCells = counts.map { key, label, value -> HTML in
            let inner: HTML = "<b data-status=\"\(key)\">\(Format.number(value))</b>\(label)"
            return key == "clusters" ? "<div><a href=\"/clusters\">\(inner)</a></div>" : "<div>\(inner)</div>"
        }
        let warnings: HTML =
            status.warnings.isEmpty
            ? .empty
            : "<h2>Warnings</h2><ul class=\"warnings\">\(status.warnings.map { "<li dir=\"auto\">\($0)</li>" as HTML })</ul>"
        let errorList: HTML =
            errors.isEmpty
            ? .empty
            : """
            <h2>Files in error</h2><div class="scroll"><table><thead><tr><th>Path</th><th>Reason</th></tr></thead><tbody>\
            \(errors.map { file in
                "<tr><td><a class=\"path\" dir=\"auto\" href=\"\(Links.article(file.path))\">\(file.path.display)</a></td><td class=\"error-reason\" dir=\"auto\">\(file.reason)</td></tr>" as HTML
            })</tbody></table></div>\
            \(status.errors > errors.count ? "<p class=\"muted\">and \(Format.number(status.errors - errors.count)) more (<code>newsctl errors</code>)</p>" as HTML : .empty)
            """
        let changeItems = changes.map { change -> HTML in
            "<li><span class=\"op\">\(change.op)</span><a class=\"path\" dir=\"auto\" href=\"\(Links.article(change.path))\">\(change.path.display)</a><span class=\"muted\"> \(Format.time(nanoseconds: change.atNanoseconds))</span></li>"
        }
        return """
            <main><h1>Catalogue <span class="state state-\(status.state)" data-status="state">\(status.state)</span></h1>
            <dl class="facts"><dt>Root</dt><dd><code dir="auto">\(status.root)</code></dd>
            <dt>newsd</dt><dd>\(status.version), up \(Format.number(Int(status.uptimeSeconds))) s</dd></dl>
            <h2>Counts</h2><div class="counts">\(countCells)</div>
            \(warnings)
            <h2>Languages</h2>\(LanguageChart.svg(languages))
            \(errorList)
            <h2>Latest changes <span id="live" class="live muted"></span></h2>
            <ul class="changes" id="changes">\(changeItems)</ul>
            \(changes.isEmpty ? "<p class=\"muted\">No changes recorded yet.</p>" as HTML : .empty)
            </main>
            """
    }
}

/// Texts per language as a horizontal bar chart in inline SVG (attributes only, no style, so
/// the Content-Security-Policy needs no exception).
enum LanguageChart {
    static func svg(_ languages: [String: Int]) -> HTML {
        let rows = languages.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        guard let largest = rows.first?.value, largest > 0 else {
            return "<p class=\"muted\">No analysed texts yet.</p>"
        }
        let rowHeight = 28
        let labelWidth = 120
        let barWidth = 300
        let height = rows.count * rowHeight + 4
        let bars = rows.enumerated().map { index, row -> HTML in
            let y = index * rowHeight + 4
            let width = max(1, row.value * barWidth / largest)
            let name = Format.language(row.key)
            return """
                <g><title>\(name): \(Format.number(row.value))</title>\
                <text x="0" y="\(y + 17)">\(name)</text>\
                <rect x="\(labelWidth)" y="\(y)" width="\(width)" height="20" rx="3"></rect>\
                <text x="\(labelWidth + width + 6)" y="\(y + 17)">\(Format.number(row.value))</text></g>
                """
        }
        return """
            <svg class="chart" role="img" aria-label="Texts per language" viewBox="0 0 \(labelWidth + barWidth + 90) \(height)" \
            width="\(labelWidth + barWidth + 90)" height="\(height)" xmlns="http://www.w3.org/2000/svg">\(bars)</svg>
            """
    }
}
