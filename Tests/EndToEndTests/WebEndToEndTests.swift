import ControlWire
import Foundation
import TestSupport
import Testing

/// `newsweb` in a real browser: the built `newsd` and `newsweb` on a tree with a cluster of
/// near duplicates, an Arabic and a Persian article and a file with a hostile name; each page
/// loaded by headless Chromium, the DOM it built checked, and a screenshot of each page written
/// to the scratch directory (kept with `NEWSD_KEEP_SCRATCH=1`).
@Suite(.serialized) struct WebEndToEndTests {
    static let chromium: String? = [
        "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
    ]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let arabic = "002_1b7f967809f53ab6.txt"
    static let persian = "004_f959d564852dad14.txt"
    static let english = "001_5aef100b6d616e8f.txt"
    static let hostileName = "\"><img src=x onerror=alert(1)>\u{202E}txt.exe"

    /// A daemon and newsweb on the fixture's tree, and Chromium to look at the pages.
    final class Site {
        let fixture: DaemonFixture
        let web: BackgroundProcess
        /// `http://127.0.0.1:PORT`
        let base: String
        let token: String

        init(_ fixture: DaemonFixture) throws {
            self.fixture = fixture
            let web = try BackgroundProcess(
                Binaries.productsDirectory + "/newsweb",
                ["--socket", fixture.socket, "--listen", "127.0.0.1:0"],
                scratch: fixture.scratch, label: "newsweb")
            var printed: (String, String)?
            let started = waitUntil(timeout: 30) {
                let out = web.stdout
                guard let start = out.range(of: "http://"), let mark = out.range(of: "/?token=") else {
                    return false
                }
                let token = out[mark.upperBound...].prefix { $0.isHexDigit }
                guard token.count == 64 else { return false }
                printed = (String(out[start.lowerBound..<mark.lowerBound]), String(token))
                return true
            }
            guard started, let printed else {
                throw ScratchError("newsweb did not print its address\n\(web.stdout)\n\(web.stderr)")
            }
            self.web = web
            (base, token) = printed
        }

        /// Runs headless Chromium on `path` (through the token address, which sets the cookie
        /// and redirects).
        func chromium(_ path: String, _ arguments: [String]) throws -> RunResult {
            let separator = path.contains("?") ? "&" : "?"
            let result = try run(
                WebEndToEndTests.chromium ?? "chromium",
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                    "--user-data-dir=\(fixture.scratch.url("chromium"))",
                ] + arguments + ["\(base)\(path)\(separator)token=\(token)"],
                timeout: 90, in: fixture.scratch)
            #expect(result.status == 0, "\(result)")
            return result
        }

        /// The DOM Chromium built for `path`.
        func dom(_ path: String) throws -> String { try chromium(path, ["--dump-dom"]).stdout }

        /// A screenshot of `path` at `width`×`height`, into the scratch directory.
        @discardableResult
        func screenshot(_ path: String, name: String, width: Int = 1280, height: Int = 1000) throws -> String
        {
            let file = fixture.scratch.url("screenshot-\(name).png")
            _ = try chromium(path, ["--screenshot=\(file)", "--window-size=\(width),\(height)"])
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "no PNG for \(name)")
            return file
        }
    }

    static func seed(_ name: String) throws -> String {
        try String(contentsOfFile: Project.seeds + "/" + name, encoding: .utf8)
    }

    /// The tree: a story on three sites (an exact copy and a near duplicate with site chrome
    /// around it), an Arabic and a Persian article, and a file whose name and text attack the page.
    static func tree() throws -> DaemonFixture {
        let f = try DaemonFixture("web-e2e")
        let original = try seed(english)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.remove(at: 5)
        lines.insert("An extra sentence that only the second site printed in its copy of the story.", at: 7)
        try f.write("site-a/story.txt", original)
        try f.write(
            "site-b/story.txt",
            "Home | World | Politics\n" + lines.joined(separator: "\n") + "\nShare this article\n")
        try f.write("mirror/story.txt", original)
        try f.write("ar/" + arabic, try seed(arabic))
        try f.write("fa/" + persian, try seed(persian))
        try f.write(
            "hostile/" + hostileName,
            "<script>alert(1)</script> title\n\n\"><img src=x onerror=alert(2)> and \u{202E}reversed text here for the page.\n"
        )
        return f
    }

    static func articlePath(_ relative: String) -> String {
        "/article?p="
            + Data(relative.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test(
        .enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium fonts-noto-core)"))
    func everyPageRendersInAHeadlessBrowser() throws {
        let f = try Self.tree()
        try f.start()
        let clusterID = try f.client().call(
            ControlMethod.cluster.rawValue, ClusterParams(path: "site-a/story.txt"), as: ClusterDetail.self
        ).cluster
        let site = try Site(f)

        // Overview: state, counts, the languages chart, the latest changes.
        let overview = try site.dom("/")
        #expect(overview.contains("data-status=\"state\">watching<"), "\(overview)")
        #expect(overview.contains("<svg class=\"chart\""))
        #expect(
            overview.contains(">Arabic<") && overview.contains(">Persian<") && overview.contains(">English<"))
        #expect(overview.contains("site-b/story.txt"))
        #expect(overview.contains("<script src=\"/static/live.js\""))
        try site.screenshot("/", name: "overview")

        // Clusters: the story's cluster, three files.
        let clusters = try site.dom("/clusters")
        #expect(clusters.contains("href=\"/clusters/\(clusterID)\""), "\(clusters)")
        #expect(clusters.contains("Iran DM discusses cooperation with China, Russia"))
        try site.screenshot("/clusters", name: "clusters")

        // The cluster: its members side by side, the added line highlighted, chrome dimmed.
        let cluster = try site.dom("/clusters/\(clusterID)")
        for member in ["site-a/story.txt", "site-b/story.txt", "mirror/story.txt"] {
            #expect(cluster.contains(member), "\(member) missing from the cluster page")
        }
        #expect(cluster.components(separatedBy: "<article class=\"member\">").count - 1 == 3)
        #expect(cluster.contains("class=\"body diff\">An extra sentence that only the second site printed"))
        #expect(
            cluster.contains("class=\"chrome\"") && cluster.contains(">Share this article<"), "\(cluster)")
        try site.screenshot("/clusters/\(clusterID)", name: "cluster")
        try site.screenshot("/clusters/\(clusterID)", name: "cluster-phone", width: 390, height: 1400)

        // Articles in Arabic and Persian: every paragraph dir="auto", in its language.
        let arabic = try site.dom(Self.articlePath("ar/" + Self.arabic))
        #expect(arabic.contains("<p dir=\"auto\" class=\"body\">"), "\(arabic)")
        #expect(arabic.contains("<div class=\"text\" lang=\"ar\">"))
        #expect(arabic.contains("وزيرا الدفاع الروسي والإيراني يبحثان تعزيز التعاون"))
        try site.screenshot(Self.articlePath("ar/" + Self.arabic), name: "article-arabic")
        try site.screenshot(
            Self.articlePath("ar/" + Self.arabic), name: "article-arabic-phone", width: 390, height: 1200)
        let persian = try site.dom(Self.articlePath("fa/" + Self.persian))
        #expect(persian.contains("<div class=\"text\" lang=\"fa\">"), "\(persian)")
        try site.screenshot(Self.articlePath("fa/" + Self.persian), name: "article-persian")

        // Search in Arabic script, the matched word marked.
        let search = try site.dom("/search?q=" + SearchPageQuery.encode("الدفاع"))
        #expect(search.contains("ar/" + Self.arabic), "\(search)")
        #expect(search.contains("<mark>"))
        try site.screenshot("/search?q=" + SearchPageQuery.encode("الدفاع"), name: "search")

        // The hostile file: its name and text shown as text; no element made of them.
        let hostile = try site.dom(Self.articlePath("hostile/" + Self.hostileName))
        #expect(hostile.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(hostile)")
        #expect(hostile.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(!hostile.contains("<img"))
        #expect(hostile.contains("[U+202E]"))
        try site.screenshot(Self.articlePath("hostile/" + Self.hostileName), name: "article-hostile")

        // The daemon stops: a page that says so, then the overview again once it is back.
        try f.daemon?.stop()
        let down = try site.dom("/")
        #expect(down.contains("newsd is not answering"), "\(down)")
        try site.screenshot("/", name: "daemon-down")
        try f.start()
        #expect(try site.dom("/").contains("data-status=\"state\">watching<"))
        try site.web.stop()
    }
}

/// Percent-encoding for a query value.
enum SearchPageQuery {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
