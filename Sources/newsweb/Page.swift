import HTTPTypes
import Hummingbird

/// The page shell every page shares, and turning a page into a response.
enum Page {
    /// A whole document: the style sheet, the navigation with the search box, and `body`.
    static func document(title: String, head: HTML = .empty, body: HTML, query: String = "") -> HTML {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title) · newsweb</title>
        <link rel="stylesheet" href="\(Assets.stylePath)">\(head)
        </head><body>
        <header class="site"><nav><a class="home" href="/">newsd</a> <a href="/clusters">Clusters</a></nav>
        <form class="search" action="/search" method="get" role="search">
        <input type="search" name="q" value="\(query)" dir="auto" placeholder="Search in any script" aria-label="Search">
        <button type="submit">Search</button></form></header>
        \(body)
        </body></html>
        """
    }

    /// A response carrying `document`.
    static func response(_ status: HTTPResponse.Status, _ document: HTML) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(document.markup)
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: buffer))
    }

    /// A page that explains what went wrong.
    static func problem(
        _ status: HTTPResponse.Status, title: String, message: String, detail: HTML = .empty,
        retry: Bool = false
    ) -> Response {
        var response = Self.response(
            status,
            document(
                title: title,
                head: retry ? "<meta http-equiv=\"refresh\" content=\"5\">" : .empty,
                body: """
                    <main class="problem"><h1>\(title)</h1><p dir="auto">\(message)</p>\(detail)</main>
                    """))
        if retry { response.headers[.retryAfter] = "5" }
        return response
    }

    /// The page for a backend failure: 503 while the daemon is down or restarting (the page
    /// says how to start it and reloads itself), 404, 400 or 502 otherwise; never a 500.
    static func failure(_ error: BackendError, socketPath: String) -> Response {
        switch error {
        case .unavailable(let message):
            problem(
                .serviceUnavailable, title: "newsd is not answering",
                message: message,
                detail: """
                    <p>newsweb reads the catalogue through newsd's control socket <code dir="auto">\(socketPath)</code>. \
                    The daemon is stopped, restarting, or this user may not use the socket. This page tries again every \
                    5 seconds.</p>
                    <p>Start the daemon with <code>newsd run --root DIR</code> (or <code>systemctl start newsd</code>), \
                    or start newsweb with <code>--socket PATH</code> pointing at its socket.</p>
                    """,
                retry: true)
        case .notFound(let message):
            problem(.notFound, title: "Not in the catalogue", message: message)
        case .badRequest(let message):
            problem(.badRequest, title: "Cannot ask that", message: message)
        case .failed(let message):
            problem(.badGateway, title: "newsd answered with an error", message: message)
        }
    }
}
