/// The path part of a URL or path, for grouping pages: no scheme, host, query or fragment.
public enum URLPath {
    public static func path(of url: String) -> String {
        var rest = Substring(url)
        if let schemeEnd = rest.range(of: "://") {
            rest = rest[schemeEnd.upperBound...]
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) else { return "/" }
            rest = rest[slash...]
        }
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<cut]
        }
        return rest.isEmpty ? "/" : String(rest)
    }
}
