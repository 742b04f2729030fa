import Hummingbird

/// Serves the embedded single-page dashboard: `index.html` behind the dashboard password, its
/// scripts and styles under `/assets/`, and the browser SDK at `/sdk.js` for any site to load.
struct DashboardController: Sendable {
    let gate: DashboardGate

    func register(in router: Router<AppRequestContext>) {
        router.get("/") { request, context in try index(request, context: context) }
        router.get("/assets/:file") { request, context in
            // Code only, no data: served without the password so the login prompt comes once, for the page.
            guard let name = context.parameters.get("file"), name != "index.html", let asset = DashboardAssets.files[name] else {
                throw APIError.notFound("not found")
            }
            return serve(asset, cache: "no-cache")
        }
        router.get("/logout") { _, _ in signOut() }
        router.get("/sdk.js") { _, _ in
            var response = serve(DashboardAssets.files["sdk.js"]!, cache: "public, max-age=300")
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
    }

    func index(_ request: Request, context: AppRequestContext) throws -> Response {
        try gate.require(request, context: context)
        var response = serve(DashboardAssets.files["index.html"]!, cache: "no-cache")
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        return response
    }

    /// Basic auth has no sign-out of its own: a browser forgets the password it cached when the
    /// same realm answers it with 401, so this page always does, and says what happened.
    func signOut() -> Response {
        let page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out · Sextant</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem">
            <h1>Signed out</h1><p>\(gate.password == nil
                ? "No dashboard password is set, so there is nothing to sign out of."
                : "This browser no longer sends the dashboard password.")</p><p><a href="/">Back to the dashboard</a></p></body></html>
            """
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        if gate.password != nil { headers[.wwwAuthenticate] = gate.challengeHeader }
        return Response(status: gate.password == nil ? .ok : .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// Scripts only from the binary, no plugins, no framing by other sites. Styles and images stay
    /// open: replayed pages carry their own inline styles and images from the recorded site, and
    /// the player's sandboxed frame runs no script at all.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; "
        + "style-src 'self' 'unsafe-inline' *; img-src 'self' data: blob: *; font-src 'self' data: *; frame-src 'self' blob: data:; connect-src 'self'"

    private func serve(_ asset: DashboardAssets.Asset, cache: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: asset.contentType, .cacheControl: cache, .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
