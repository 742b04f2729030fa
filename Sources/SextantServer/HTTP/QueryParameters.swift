import Hummingbird
import SextantCore

/// Typed access to query parameters, answering 400 with the parameter's name on bad values.
struct QueryParameters {
    let request: Request

    init(_ request: Request) {
        self.request = request
    }

    func string(_ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text) else { throw APIError.badRequest("\(name) must be an integer") }
        return value
    }

    /// `limit`: default when absent, 400 when not an integer or below 1, clamped to `maximum`.
    func limit(default defaultValue: Int, maximum: Int) throws -> Int {
        guard let value = try integer("limit") else { return defaultValue }
        guard value >= 1 else { throw APIError.badRequest("limit must be at least 1") }
        return Int(min(value, Int64(maximum)))
    }

    /// `app`, `from` and `to` (inclusive, Unix ms).
    func timeFilter() throws -> TimeFilter {
        TimeFilter(projectSlug: string("app"), from: try integer("from"), to: try integer("to"))
    }
}
