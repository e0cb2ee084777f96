import Hummingbird

/// The site: every page behind the token, every response with the security headers, every
/// failure to reach the daemon a page that says so (503), never a 500.
enum WebRouter {
    static func make(backend: any CatalogueBackend, token: AccessToken) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: TokenMiddleware(token: token))
        Assets.register(on: router)
        let overview = OverviewPage(backend: backend)
        router.get("/") { _, _ in
            await serve(backend) { () throws(BackendError) in try await overview.respond() }
        }
        router.get("/clusters") { request, _ in
            let page = Links.page(request.uri.queryParameters.get("page"))
            return await serve(backend) { () throws(BackendError) in
                try await ClustersPage.respond(backend, page: page)
            }
        }
        router.get("/clusters/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            let page = Links.page(request.uri.queryParameters.get("page"))
            return await serve(backend) { () throws(BackendError) in
                try await ClusterPage.respond(backend, id: id, page: page)
            }
        }
        router.get("/article") { request, _ in
            let parameter = request.uri.queryParameters.get("p")
            return await serve(backend) { () throws(BackendError) in
                try await ArticlePage.respond(backend, parameter: parameter)
            }
        }
        router.get("/search") { request, _ in
            let query = request.uri.queryParameters.get("q") ?? ""
            let language = request.uri.queryParameters.get("lang")
            let page = Links.page(request.uri.queryParameters.get("page"))
            return await serve(backend) { () throws(BackendError) in
                try await SearchPage.respond(backend, query: query, language: language, page: page)
            }
        }
        router.get("/events") { _, _ in await LiveEvents.respond(backend) }
        return router
    }

    /// Runs a page, turning a backend failure into its page.
    static func serve(
        _ backend: any CatalogueBackend, _ page: () async throws(BackendError) -> Response
    ) async -> Response {
        do {
            return try await page()
        } catch {
            return Page.failure(error, socketPath: backend.socketPath)
        }
    }
}
