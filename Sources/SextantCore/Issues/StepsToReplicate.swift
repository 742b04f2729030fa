/// Turns the sample session's breadcrumbs into numbered steps a person can follow.
public enum StepsToReplicate {
    public static func steps(from breadcrumbs: [Breadcrumb]) -> [String]? {
        guard !breadcrumbs.isEmpty else { return nil }
        return breadcrumbs.enumerated().map { index, crumb in "\(index + 1). \(describe(crumb))" }
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
