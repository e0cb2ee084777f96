import ControlWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import Testing

@testable import newsweb

/// The pages served on a loopback port and read over HTTP: the token, the security headers, escaping of
/// hostile values, paging, and a daemon that is down.
@Suite struct NewsWebRouteTests {
    static let token = AccessToken(value: String(repeating: "ab", count: 32))
    static var cookie: HTTPFields { [.cookie: "\(AccessToken.cookieName)=\(token.value)"] }

    /// Serves the pages over `backend` on a free loopback port while `test` runs.
    static func serve<Value: Sendable>(
        _ backend: any CatalogueBackend, _ test: @Sendable (HTTPTestClient) async throws -> Value
    ) async throws -> Value {
        try await LiveServer.serve(WebRouter.make(backend: backend, token: token), test)
    }

    static func body(_ response: TestResponse) -> String { String(buffer: response.body) }

    // MARK: token

    @Test func everyPageNeedsTheToken() async throws {
        try await Self.serve(FakeBackend()) { client in
            for uri in [
                "/", "/clusters", "/clusters/00112233aabbccdd", "/search?q=x", "/events", Assets.stylePath,
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(Self.body(response).contains("Access token needed"))
                }
                try await client.execute(
                    uri: uri, method: .get,
                    headers: [.cookie: "\(AccessToken.cookieName)=\(String(repeating: "0", count: 64))"]
                ) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
            try await client.execute(uri: "/?token=nope", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test func theTokenInTheAddressSetsAStrictHttpOnlyCookie() async throws {
        try await Self.serve(FakeBackend()) { client in
            try await client.execute(uri: "/clusters?page=1&token=\(Self.token.value)", method: .get) {
                response in
                #expect(response.status == .seeOther)
                let cookie = response.headers[.setCookie] ?? ""
                #expect(cookie.contains("\(AccessToken.cookieName)=\(Self.token.value)"))
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Strict"))
                #expect(cookie.contains("Path=/"))
                // On to the same page, without the token in the address.
                #expect(response.headers[.location] == "/clusters?page=1")
            }
            try await client.execute(uri: "/", method: .get, headers: Self.cookie) { response in
                #expect(response.status == .ok)
                #expect(Self.body(response).contains("Catalogue"))
            }
        }
    }

    @Test func theTokenAddressNeverSendsTheBrowserElsewhere() async throws {
        try await Self.serve(FakeBackend()) { client in
            try await client.execute(uri: "//evil.example/?token=\(Self.token.value)", method: .get) {
                response in
                #expect(response.headers[.location] == "/")
            }
        }
    }

    // MARK: headers

    @Test func everyResponseCarriesAStrictContentSecurityPolicy() async throws {
        try await Self.serve(FakeBackend()) { client in
            for headers in [HTTPFields(), Self.cookie] {
                for uri in ["/", "/clusters", "/nowhere", Assets.stylePath] {
                    try await client.execute(uri: uri, method: .get, headers: headers) { response in
                        let csp = response.headers[.contentSecurityPolicy] ?? ""
                        #expect(csp.contains("default-src 'none'"), "\(uri): \(csp)")
                        #expect(csp.contains("script-src 'self'"))
                        #expect(csp.contains("style-src 'self'"))
                        #expect(csp.contains("frame-ancestors 'none'"))
                        #expect(!csp.contains("unsafe"))
                        #expect(response.headers[.xContentTypeOptions] == "nosniff")
                        #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                    }
                }
            }
            try await client.execute(uri: "/nowhere", method: .get, headers: Self.cookie) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func pagesHaveNoInlineScriptOrStyle() async throws {
        let backend = Hostile.backend()
        try await Self.serve(backend) { client in
            for uri in Hostile.pages {
                try await client.execute(uri: uri, method: .get, headers: Self.cookie) { response in
                    let body = Self.body(response)
                    #expect(response.status == .ok, "\(uri): \(body)")
                    #expect(!body.contains("<style"), "\(uri)")
                    #expect(!body.contains("style="), "\(uri)")
                    for match in body.ranges(of: "<script") {
                        #expect(body[match.lowerBound...].hasPrefix("<script src=\"/static/"), "\(uri)")
                    }
                }
            }
        }
    }

    // MARK: escaping

    @Test func hostileTitlesBodiesAndPathsAreEscaped() async throws {
        let backend = Hostile.backend()
        try await Self.serve(backend) { client in
            for uri in Hostile.pages {
                try await client.execute(uri: uri, method: .get, headers: Self.cookie) { response in
                    let body = Self.body(response)
                    #expect(response.status == .ok, "\(uri)")
                    #expect(!body.contains("<script>alert"), "\(uri)")
                    #expect(!body.contains("<img"), "\(uri)")
                    #expect(!body.contains("onerror=alert(1)>"), "\(uri)")
                    #expect(
                        !body.unicodeScalars.contains("\u{202E}"), "\(uri): a bidi override reached the page")
                    #expect(body.contains("[U+202E]"), "\(uri)")
                    #expect(body.contains("&lt;script&gt;") || body.contains("&quot;&gt;&lt;img"), "\(uri)")
                }
            }
            // The hostile body line, escaped, with its direction left to the browser.
            try await client.execute(uri: Hostile.articlePage, method: .get, headers: Self.cookie) {
                response in
                let body = Self.body(response)
                #expect(
                    body.contains(
                        "<p dir=\"auto\" class=\"body\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>"))
                #expect(body.contains("<h1 dir=\"auto\">&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
        }
    }

    @Test func theEscapingFunction() {
        #expect(
            HTML.escape("<a href='x'>\"&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;")
        #expect(HTML.escape("abc\u{202E}txt.exe\u{2066}") == "abc[U+202E]txt.exe[U+2066]")
        #expect(HTML.escape("a\u{0}b\u{1B}[31mc\u{85}") == "ab[31mc")
        #expect(HTML.escape("مرحبا\u{200C}ی\tx\n") == "مرحبا\u{200C}ی\tx\n")
        let name = "x"
        let html: HTML = "<b>\(name + "<i>")</b>"
        #expect(html.description == "<b>x&lt;i&gt;</b>")
    }

    // MARK: paging

    @Test func clustersArePagedLargestFirst() async throws {
        let clusters = (0..<120).map { n in
            ClusterRecord(
                cluster: String(format: "%016x", n), size: 200 - n, languages: ["en"],
                links: ["near": 200 - n],
                files: [
                    ClusterMemberRecord(
                        path: WirePath("c\(n)/a.txt"), title: "Story \(n)", lang: "en", link: "near",
                        jaccard: 0.9)
                ])
        }
        let backend = FakeBackend(clusters: clusters)
        try await Self.serve(backend) { client in
            try await client.execute(uri: "/clusters", method: .get, headers: Self.cookie) { response in
                let body = Self.body(response)
                #expect(body.contains("1–25 of 120"))
                #expect(body.contains("href=\"/clusters?page=1\""))
                #expect(!body.contains("rel=\"prev\""))
                #expect(body.components(separatedBy: "<tr><td class=\"num\">").count - 1 == 25)
            }
            try await client.execute(uri: "/clusters?page=4", method: .get, headers: Self.cookie) {
                response in
                let body = Self.body(response)
                #expect(body.contains("101–120 of 120"))
                #expect(!body.contains("rel=\"next\""))
                #expect(body.contains("href=\"/clusters?page=3\""))
            }
            try await client.execute(uri: "/clusters?page=-3", method: .get, headers: Self.cookie) {
                response in
                #expect(Self.body(response).contains("1–25 of 120"))
            }
        }
        #expect(backend.requests.withLock { $0 }.contains("clusters 100 25"))
    }

    @Test func aClusterOfEightThousandCopiesIsPagedNotRenderedAsEightThousandColumns() async throws {
        let members = (0..<8_000).map { n in
            ClusterMemberDetail(
                path: WirePath("copy/\(n).txt"), title: "Copy", lang: "en", published: nil, link: "exact",
                jaccard: nil, lines: [ArticleLine(text: "Same text \(n % 2)", kind: "body")])
        }
        let backend = FakeBackend(members: members)
        try await Self.serve(backend) { client in
            try await client.execute(
                uri: "/clusters/00112233aabbccdd?page=5", method: .get, headers: Self.cookie
            ) {
                response in
                let body = Self.body(response)
                #expect(response.status == .ok)
                #expect(body.contains("members 16–18 of 8,000"))
                #expect(
                    body.components(separatedBy: "<article class=\"member\">").count - 1
                        == ClusterPage.membersPerPage)
                #expect(body.contains("href=\"/clusters/00112233aabbccdd?page=6\""))
                // copy/16 says "Same text 0", as the first member: not highlighted; copy/17 is.
                #expect(body.contains("<p dir=\"auto\" class=\"body\">Same text 0</p>"))
                #expect(body.contains("<p dir=\"auto\" class=\"body diff\">Same text 1</p>"))
            }
        }
        let requests = backend.requests.withLock { $0 }
        #expect(requests.contains("cluster 00112233aabbccdd 15 3"), "\(requests)")
        #expect(requests.contains("cluster 00112233aabbccdd 0 1"), "the first member, for the comparison")
    }

    // MARK: failures

    @Test func aDaemonThatIsDownGivesAClearPageNotA500() async throws {
        let backend = FakeBackend(
            failure: .unavailable("cannot connect to newsd at /run/test/newsd.sock: No such file"))
        try await Self.serve(backend) { client in
            for uri in Hostile.pages + ["/clusters", "/events"] {
                try await client.execute(uri: uri, method: .get, headers: Self.cookie) { response in
                    #expect(response.status == .serviceUnavailable, "\(uri)")
                    #expect(response.headers[.retryAfter] == "5")
                    let body = Self.body(response)
                    #expect(body.contains("newsd is not answering"))
                    #expect(body.contains("/run/test/newsd.sock"))
                    #expect(body.contains("newsd run --root DIR"))
                }
            }
        }
    }

    /// The real client, with no daemon behind the socket path.
    @Test func theSocketClientWithNoDaemonGivesTheSamePage() async throws {
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        let path = FileManager.default.temporaryDirectory.path + "/newsweb-absent-\(UUID().uuidString).sock"
        let backend = SocketBackend(socketPath: path, threads: threads)
        try await Self.serve(backend) { client in
            for uri in ["/", "/clusters", "/clusters/00112233aabbccdd", "/search?q=word", "/events"] {
                try await client.execute(uri: uri, method: .get, headers: Self.cookie) { response in
                    #expect(response.status == .serviceUnavailable, "\(uri)")
                    #expect(Self.body(response).contains("cannot connect to newsd at \(path)"))
                }
            }
        }
        var stream = backend.follow(since: nil).makeAsyncIterator()
        await #expect(throws: BackendError.self) { _ = try await stream.next() }
        try await threads.shutdownGracefully()
    }

    @Test func missingThingsAre404AndNonsenseIs400() async throws {
        try await Self.serve(Hostile.backend()) { client in
            try await client.execute(uri: "/article?p=bm9wZQ", method: .get, headers: Self.cookie) {
                response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/article?p=%%%", method: .get, headers: Self.cookie) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/clusters/not-an-id", method: .get, headers: Self.cookie) {
                response in
                #expect(response.status == .notFound)
            }
        }
    }

    // MARK: pieces

    @Test func onlyLoopbackAddressesAreLoopback() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8642").isLoopback)
        #expect(try ListenAddress(parsing: "127.1.2.3:1").isLoopback)
        #expect(try ListenAddress(parsing: "localhost:80").isLoopback)
        #expect(try ListenAddress(parsing: "[::1]:8642").isLoopback)
        #expect(try ListenAddress(parsing: "[::1]:8642").host == "::1")
        #expect(try !ListenAddress(parsing: "0.0.0.0:8642").isLoopback)
        #expect(try !ListenAddress(parsing: "192.168.1.4:8642").isLoopback)
        #expect(try !ListenAddress(parsing: "[::]:8642").isLoopback)
        #expect(throws: ListenAddress.Invalid.self) { try ListenAddress(parsing: "8642") }
        #expect(throws: ListenAddress.Invalid.self) { try ListenAddress(parsing: "127.0.0.1:99999") }
    }

    @Test func searchMarksMatchedWordsInEveryScript() {
        #expect(
            Highlight.mark("The <b>cooperation</b> talks", tokens: ["cooperation"]).description
                == "The &lt;b&gt;<mark>cooperation</mark>&lt;/b&gt; talks")
        // Persian ی and ک written as Arabic ي and ك in the index; harakat and digits folded.
        #expect(Highlight.mark("همکاری نظامی", tokens: ["همكاري"]).description == "<mark>همکاری</mark> نظامی")
        #expect(
            Highlight.mark("سال ۲۰۲۴ میلادی", tokens: ["2024"]).description == "سال <mark>۲۰۲۴</mark> میلادی")
        #expect(
            Highlight.mark("Ushirikiano wa kijeshi", tokens: ["ushiriki*"]).description
                == "<mark>Ushirikiano</mark> wa kijeshi")
    }

    @Test func theTokenIsLongRandomAndComparedWhole() {
        let a = AccessToken.random()
        let b = AccessToken.random()
        #expect(a.value.count == 64)
        #expect(a != b)
        #expect(a.matches(a.value))
        #expect(!a.matches(String(a.value.dropLast())))
        #expect(!a.matches(a.value + "0"))
        #expect(!a.matches(""))
    }
}

/// A catalogue whose every value is an attack on the page.
enum Hostile {
    static let title = "<script>alert(1)</script>\u{202E}gpj.exe"
    static let bodyLine = "\"><img src=x onerror=alert(1)>"
    static let path = WirePath(
        bytes: Array("evil/\u{202E}<script>".utf8) + [0xFF, 0xFE] + Array(".txt".utf8))

    static var articlePage: String { Links.article(path) }
    static var pages: [String] {
        ["/", "/clusters", "/clusters/00112233aabbccdd", articlePage, "/search?q=alert"]
    }

    static func backend() -> FakeBackend {
        let member = ClusterMemberDetail(
            path: path, title: title, lang: nil, published: nil, link: "near", jaccard: 0.8,
            lines: [
                ArticleLine(text: title, kind: "title"), ArticleLine(text: bodyLine, kind: "body"),
                ArticleLine(
                    text: "Share \u{202E}<b>", kind: "chrome", reason: "\"><img src=x onerror=alert(1)>"),
            ])
        let record = FileRecord(
            path: path, kind: "file", size: 10, sha256: nil, state: "ok", reason: nil, group: nil,
            title: title,
            cluster: "00112233aabbccdd")
        var detail = FileDetail(
            file: record, mtimeNanoseconds: 0, device: 0, inode: 0, copies: 2, duplicates: [record])
        detail.related = [RelatedRecord(path: path, link: "near", jaccard: 0.8, containment: 0.9)]
        return FakeBackend(
            clusters: [
                ClusterRecord(
                    cluster: "00112233aabbccdd", size: 2, languages: [], links: ["near": 2],
                    files: [
                        ClusterMemberRecord(path: path, title: title, lang: nil, link: "near", jaccard: 0.8)
                    ])
            ],
            members: [member, member], files: [detail],
            hits: [
                SearchHitRecord(path: path, title: title, lang: nil, rank: -1, copies: 1, snippet: bodyLine)
            ])
    }
}
