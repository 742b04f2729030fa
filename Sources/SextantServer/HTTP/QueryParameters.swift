import Foundation
import Hummingbird
import SextantCore

/// Typed access to query parameters, answering 400 with the parameter's name on bad values.
struct QueryParameters {
    let request: Request

    init(_ request: Request) {
        self.request = request
    }

    /// The parameter's value, decoded as browsers encode forms and `URLSearchParams`: `+` is a
    /// space, `%2B` a plus. (The router's own parser keeps `+`, so `q=payment+gateway` would search
    /// for one word and `prop=product=Rain+jacket` would match nothing.)
    func string(_ name: String) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.decode(parts[0]) == name else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            return value.isEmpty ? nil : value
        }
        return nil
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    func integer(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text) else { throw APIError.badRequest("\(name) must be an integer") }
        return value
    }

    /// An integer that must lie in `range`; 400 naming the parameter otherwise.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let value = try integer(name) else { return nil }
        guard range.contains(value) else { throw APIError.badRequest("\(name) must be \(WireRange.describe(range))") }
        return value
    }

    /// `true`/`1` or `false`/`0`; false when absent.
    func flag(_ name: String) throws -> Bool {
        try optionalFlag(name) ?? false
    }

    /// `true`/`1` or `false`/`0`; nil when absent (either way).
    func optionalFlag(_ name: String) throws -> Bool? {
        switch string(name) {
        case nil: return nil
        case "false", "0": return false
        case "true", "1": return true
        default: throw APIError.badRequest("\(name) must be true or false")
        }
    }

    /// `limit`: default when absent, 400 when not an integer or below 1, clamped to `maximum`.
    func limit(default defaultValue: Int, maximum: Int) throws -> Int {
        guard let value = try integer("limit") else { return defaultValue }
        guard value >= 1 else { throw APIError.badRequest("limit must be at least 1") }
        return Int(min(value, Int64(maximum)))
    }

    /// `app`, `from` and `to` (inclusive): Unix milliseconds, an ISO 8601 date-time, or a date
    /// (`from` at its first millisecond, `to` at its last, so `from=2026-06-01&to=2026-06-30` is June).
    func timeFilter() throws -> TimeFilter {
        TimeFilter(projectSlug: string("app"), from: try time("from", endOfDay: false), to: try time("to", endOfDay: true))
    }

    /// `from`/`to` resolved for a bucketed answer: `to` defaults to `now`, `from` to `defaultSpan`
    /// before it; 400 when `from` is after `to`.
    func range(defaultSpan: Int64, now: Int64) throws -> (from: Int64, to: Int64) {
        let time = try timeFilter()
        let to = time.to ?? now
        let from = time.from ?? max(0, to - defaultSpan)
        guard from <= to else { throw APIError.badRequest("from must not be after to") }
        return (from, to)
    }

    /// The most buckets one time series answers with (trends, metrics).
    static let maximumBuckets: Int64 = 2_000

    /// 400 naming `interval` when `count` buckets are more than one answer holds.
    static func checkBucketCount(_ count: Int64) throws {
        guard count <= maximumBuckets else {
            throw APIError.badRequest("interval gives more than \(maximumBuckets) buckets over from..to: choose a wider interval")
        }
    }

    /// A comma-separated list, its items trimmed, empty ones dropped.
    func list(_ name: String) -> [String] {
        (string(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func time(_ name: String, endOfDay: Bool) throws -> Int64? {
        guard let text = string(name) else { return nil }
        let value: Int64?
        if let milliseconds = Int64(text) {
            value = milliseconds
        } else if let day = ISOTimestamp.parseDate(text) {
            value = endOfDay ? day + 86_399_999 : day
        } else if let instant = ISOTimestamp.parse(text) {
            value = instant
        } else {
            throw APIError.badRequest("\(name) must be Unix milliseconds or an ISO 8601 date (2026-06-14) or date-time (2026-06-14T10:00:00Z)")
        }
        guard let value, WireRange.timestampMs.contains(value) else {
            throw APIError.badRequest("\(name) must be \(WireRange.describe(WireRange.timestampMs))")
        }
        return value
    }
}
