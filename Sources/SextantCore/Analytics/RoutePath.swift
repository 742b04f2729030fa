/// Groups request paths into routes: numeric, UUID and hex segments become `:id`, and the query
/// string is dropped, so `/orders/42?x=1` and `/orders/43` are one endpoint.
public enum RoutePath {
    public static func fold(_ path: String) -> String {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        let segments = withoutQuery.split(separator: "/", omittingEmptySubsequences: false).map { segment -> Substring in
            isIdentifier(segment) ? ":id" : segment
        }
        let folded = segments.joined(separator: "/")
        return folded.isEmpty ? "/" : folded
    }

    static func isIdentifier(_ segment: Substring) -> Bool {
        guard !segment.isEmpty else { return false }
        if segment.allSatisfy(\.isASCIIDigit) { return true }
        let hexDigits = segment.filter { $0 != "-" }
        let isHex = hexDigits.allSatisfy(\.isHexDigit)
        // A UUID (8-4-4-4-12) or a long hex run (hashes, object ids) but not short words like "cafe".
        if isHex, segment.count == 36, segment.filter({ $0 == "-" }).count == 4 { return true }
        return isHex && !segment.contains("-") && segment.count >= 16 && segment.contains(where: \.isASCIIDigit)
    }
}
