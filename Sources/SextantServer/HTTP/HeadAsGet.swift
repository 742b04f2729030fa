import Hummingbird

/// HEAD is GET without the body (RFC 9110 §9.3.2) on every GET route. The router resolves a
/// route by method before any middleware runs, so the rewrite wraps the whole router.
struct HeadAsGet<Inner: HTTPResponderBuilder>: HTTPResponderBuilder where Inner.Responder.Context == AppRequestContext {
    let inner: Inner

    struct Responder: HTTPResponder {
        let wrapped: Inner.Responder

        func respond(to request: Request, context: AppRequestContext) async throws -> Response {
            guard request.method == .head else { return try await wrapped.respond(to: request, context: context) }
            var head = request.head
            head.method = .get
            var response = try await wrapped.respond(to: Request(head: head, body: request.body), context: context)
            response.body = .init()
            return response
        }
    }

    func buildResponder() -> Responder { Responder(wrapped: inner.buildResponder()) }
}
