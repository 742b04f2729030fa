/// How deep each span sits under its trace's root, from the parent links (a span whose parent
/// is missing, or a cycle, counts as a root).
public enum TraceTree {
    public static func depths(_ spans: [SpanRecord]) -> [String: Int] {
        let parents = Dictionary(spans.map { ($0.spanID, $0.parentSpanID) }, uniquingKeysWith: { first, _ in first })
        var depths: [String: Int] = [:]
        for span in spans {
            var depth = 0
            var seen: Set<String> = [span.spanID]
            var current = span.parentSpanID
            while let parent = current, let grandparent = parents[parent], seen.insert(parent).inserted {
                depth += 1
                current = grandparent
            }
            depths[span.spanID] = depth
        }
        return depths
    }
}
