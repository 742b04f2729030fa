import Hummingbird

/// The server's own origin for links and OAuth metadata. With `public_url` set it is exactly
/// that; headers a client controls (`X-Forwarded-Proto`) are never trusted. Without it, the
/// request's Host is used, which suits a server reached directly (development, loopback).
struct PublicBase: Sendable {
    let configured: String?

    func of(_ request: Request) -> String {
        if let configured { return configured }
        return "\(request.head.scheme ?? "http")://\(request.head.authority ?? "127.0.0.1")"
    }
}
