import Hummingbird

/// Per-request state shared between middleware and handlers.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's `X-Request-Id`, or a new UUID; echoed on every response.
    public var requestID: String = ""

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
