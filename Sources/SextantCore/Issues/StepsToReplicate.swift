/// Turns the sample session's breadcrumbs into numbered steps a person can follow.
public enum StepsToReplicate {
    public static func steps(from breadcrumbs: [Breadcrumb]) -> [String]? {
        guard !breadcrumbs.isEmpty else { return nil }
        return breadcrumbs.enumerated().map { index, crumb in "\(index + 1). \(describe(crumb))" }
    }

    /// Breadcrumbs an SDK sent with the error itself (SeeStack's `breadcrumbs[]`: `{type, category,
    /// message, data}` objects or plain strings), for errors that carry no session.
    public static func steps(fromReported breadcrumbs: JSONValue?) -> [String]? {
        let lines = (breadcrumbs?.arrayValue ?? []).compactMap { crumb -> String? in
            if let text = crumb.stringValue { return text }
            let label = crumb["category"]?.stringValue ?? crumb["type"]?.stringValue
            let message = crumb["message"]?.stringValue ?? crumb["data"]?["url"]?.stringValue
            switch (label, message) {
            case let (label?, message?): return "\(label): \(message)"
            case let (nil, message?): return message
            case let (label?, nil): return label
            case (nil, nil): return nil
            }
        }
        guard !lines.isEmpty else { return nil }
        return lines.suffix(20).enumerated().map { "\($0.offset + 1). \($0.element)" }
    }

    static func describe(_ crumb: Breadcrumb) -> String {
        let page = crumb.url.map(URLPath.path(of:))
        let on = page.map { " on \($0)" } ?? ""
        switch crumb.type {
        case .pageview: return "Open \(page ?? crumb.name)"
        case .error: return "Error \(crumb.name)\(on)"
        case .network: return "Request \(crumb.name)\(on)"
        case .bugReport: return "Report a bug\(on)"
        case .event: return "\(crumb.name.prefix(1).uppercased())\(crumb.name.dropFirst())\(on)"
        }
    }
}
