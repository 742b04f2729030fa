import Hummingbird
import NIOCore

/// Per-request state shared between middleware and handlers.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's `X-Request-Id`, or a new UUID; echoed on every response.
    public var requestID: String = ""
    /// The connected peer (nil in router tests, which have no socket).
    public var remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address, for per-client limits ("local" without a socket).
    var clientAddress: String { remoteAddress?.ipAddress ?? "local" }
}
