import HTTPTypes
import Hummingbird

/// Lets a request through only with the token: in the cookie, or once in `?token=` (the URL
/// printed at start), which sets the cookie (HttpOnly, SameSite=Strict) and sends the browser
/// on to the same page without the token in its address. No token: 401; a wrong one: 403.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: AccessToken

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let given = request.uri.queryParameters.get("token") {
            guard token.matches(given) else { return Self.refusal(.forbidden) }
            return Self.admit(request, token: token)
        }
        guard let cookie = request.cookies[AccessToken.cookieName] else { return Self.refusal(.unauthorized) }
        guard token.matches(cookie.value) else { return Self.refusal(.forbidden) }
        return try await next(request, context)
    }

    /// Sets the cookie and sends the browser on to the page asked for, without the token in its
    /// address (303). The browser was sent here from outside (a terminal, a typed address), so
    /// it treats the redirect as same-site and sends the SameSite=Strict cookie with it.
    static func admit(_ request: Request, token: AccessToken) -> Response {
        var response = Response(
            status: .seeOther,
            headers: [
                .location: ListenQuery.removing("token", path: request.uri.path, query: request.uri.query)
            ])
        response.setCookie(
            Cookie(
                name: AccessToken.cookieName, value: token.value, path: "/", secure: false, httpOnly: true,
                sameSite: .strict))
        return response
    }

    static func refusal(_ status: HTTPResponse.Status) -> Response {
        let message: HTML =
            status == .unauthorized
            ? "This page needs the access token. Open the address <code>newsweb</code> printed when it started (<code>http://…/?token=…</code>)."
            : "The access token is wrong. Open the address the running <code>newsweb</code> printed when it started; a new start makes a new token."
        var response = Page.response(
            status,
            Page.document(
                title: status == .unauthorized ? "Access token needed" : "Wrong access token",
                body:
                    "<main><h1>\(status == .unauthorized ? "Access token needed" : "Wrong access token")</h1><p>\(message)</p></main>"
            ))
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Cookie realm=\"newsweb\"" }
        return response
    }
}

/// Query-string helpers.
enum ListenQuery {
    /// The request's path and query without the parameter `name`.
    static func removing(_ name: String, path: String, query: String?) -> String {
        let kept = (query ?? "").split(separator: "&").filter { !$0.hasPrefix(name + "=") && $0 != name }
        // Only a path on this server ("//host/…" would leave it).
        let path = path.hasPrefix("/") && !path.hasPrefix("//") ? path : "/"
        return path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
}
