import Hummingbird
import SextantCore

/// The Data API's query parameters, with the seed's exact 400 messages.
struct DataAPIQuery {
    let parameters: QueryParameters

    init(_ request: Request) {
        parameters = QueryParameters(request)
    }

    /// Digits only, within `1...maximum`: "1.5", "abc" and "0" are all refused alike.
    func limit(default defaultValue: Int, maximum: Int) throws -> Int {
        guard let text = parameters.request.uri.queryParameters.get("limit") else { return defaultValue }
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), text.count <= 6, let value = Int(text), (1...maximum).contains(value) else {
            throw APIError.badRequest("limit must be an integer between 1 and \(maximum)")
        }
        return value
    }

    func cursor() throws -> PageCursor? {
        guard let text = parameters.request.uri.queryParameters.get("cursor") else { return nil }
        guard let cursor = PageCursorCoding.decode(text) else { throw APIError.badRequest("Invalid cursor") }
        return cursor
    }

    func status() throws -> IssueStatus? {
        guard let text = parameters.string("status") else { return nil }
        guard let status = IssueStatus(rawValue: text) else { throw APIError.badRequest("status must be one of: \(IssueStatus.listed)") }
        return status
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
