import Foundation
import Hummingbird

extension Parameters {
    /// A path parameter, percent-decoded: the router matches raw segments, so an id such as
    /// `lucent:sess 1` arrives as `lucent%3Asess%201`. Undecodable escapes are a 400.
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        guard let value = raw.removingPercentEncoding else { throw APIError.badRequest("\(name) is not valid percent-encoding") }
        return value
    }
}

extension String {
    /// This text as one path segment: everything but unreserved characters percent-encoded.
    var pathSegmentEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .init(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? self
    }
}
