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
        router.get("/sdk.js") { _, _ in
            var response = serve(DashboardAssets.files["sdk.js"]!, cache: "public, max-age=300")
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
    }

    func index(_ request: Request, context: AppRequestContext) throws -> Response {
        try gate.require(request)
        return serve(DashboardAssets.files["index.html"]!, cache: "no-cache")
    }

    private func serve(_ asset: DashboardAssets.Asset, cache: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: asset.contentType, .cacheControl: cache, .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
