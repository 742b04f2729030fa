import Foundation
import Hummingbird

extension Request {
    /// The token of an `Authorization: Bearer <token>` header, if there is one.
    var bearerToken: String? {
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
