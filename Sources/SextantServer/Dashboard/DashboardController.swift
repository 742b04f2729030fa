import Hummingbird

/// Serves the embedded single-page dashboard behind the dashboard password.
struct DashboardController: Sendable {
    let gate: DashboardGate

    func register(in router: Router<AppRequestContext>) {
        router.get("/") { request, context in try index(request, context: context) }
    }

    func index(_ request: Request, context: AppRequestContext) throws -> Response {
        try gate.require(request)
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: DashboardPage.html)))
    }
}
