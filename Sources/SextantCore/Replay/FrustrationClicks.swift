/// Rage and dead clicks found in rrweb events (API.md §8, REPLAY-HEURISTICS.md §3, PostHog's rules).
///
/// A rage click is the third click of a chain where each click lands within 30 px (Manhattan) and
/// under 1,000 ms of the previous one. A dead click is a click on anything but a text-entry target
/// that no mutation follows within 2,500 ms, no scroll within 100 ms and no navigation.
public struct FrustrationClick: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case rage, dead }

    public var kind: Kind
    public var ts: Int64
    public var nodeID: Int
    /// `tag#id.class` of the target and up to two ancestors, outermost first.
    public var target: String
    /// The page's path when the click happened.
    public var path: String
}

public enum FrustrationClicks {
    public static let rageDistancePx = 30.0
    public static let rageIntervalMs: Int64 = 1000
    public static let rageClickCount = 3
    public static let deadMutationWindowMs: Int64 = 2500
    public static let deadScrollWindowMs: Int64 = 100

    /// Incremental sources that change the page (the heuristics' mutation set).
    static let mutationSources: Set<Int> = [0, 7, 8, 9, 13, 14, 15]

    /// Detects both kinds in events sorted by timestamp. Dead clicks need the 2.5 s after them:
    /// a click too close to the end of the recording is not judged.
    public static func detect(_ events: [JSONValue]) -> [FrustrationClick] {
        var tree = SnapshotTree()
        var path = "/"
        var found: [FrustrationClick] = []
        var chain: [(x: Double, y: Double, ts: Int64)] = []
        var pendingDead: [(click: FrustrationClick, ts: Int64)] = []
        var lastClick: (node: Int, ts: Int64)?

        func settle(upTo ts: Int64) {
            // Clicks whose window closed with no reaction are dead.
            pendingDead.removeAll { pending in
                guard ts - pending.ts > deadMutationWindowMs else { return false }
                found.append(pending.click)
                return true
            }
        }

        for event in events {
            guard let type = event["type"]?.intValue, let ts = event["timestamp"]?.timestampMsValue else { continue }
            settle(upTo: ts)
            let data = event["data"]
            switch type {
            case 4:
                if let href = data?["href"]?.stringValue { path = URLPath.path(of: href) }
                pendingDead.removeAll()  // navigation: whatever was clicked did something
            case 2:
                tree.reset(with: data?["node"])
                pendingDead.removeAll()
                chain.removeAll()
            case 3:
                let source = data?["source"]?.intValue ?? -1
                if mutationSources.contains(source), isNonEmptyChange(data, source: source) {
                    if source == 0 { tree.apply(mutation: data) }
                    pendingDead.removeAll { ts - $0.ts <= deadMutationWindowMs }
                } else if source == 3 {
                    pendingDead.removeAll { ts - $0.ts <= deadScrollWindowMs }
                } else if source == 2, data?["type"]?.numberValue == 2, let node = data?["id"]?.intValue, node >= 0 {
                    let target = tree.describe(node)
                    let click = FrustrationClick(kind: .rage, ts: ts, nodeID: node, target: target, path: path)
                    if let x = data?["x"]?.numberValue, let y = data?["y"]?.numberValue {
                        if let previous = chain.last, abs(x - previous.x) + abs(y - previous.y) <= rageDistancePx, ts - previous.ts < rageIntervalMs {
                            chain.append((x, y, ts))
                            if chain.count == rageClickCount { found.append(click) }
                        } else {
                            chain = [(x, y, ts)]
                        }
                    }
                    // PostHog ignores repeat clicks on one node within a second, and text-entry targets.
                    let isRepeat = lastClick.map { $0.node == node && ts - $0.ts < 1000 } ?? false
                    if !isRepeat, !tree.isTextEntry(node), tree.tag(of: node) != "html" {
                        var dead = click
                        dead.kind = .dead
                        pendingDead.append((dead, ts))
                    }
                    lastClick = (node, ts)
                }
            default:
                break
            }
        }
        return found.sorted { ($0.ts, $0.kind == .rage ? 0 : 1) < ($1.ts, $1.kind == .rage ? 0 : 1) }
    }

    /// An empty mutation batch (rrweb emits some) changes nothing.
    static func isNonEmptyChange(_ data: JSONValue?, source: Int) -> Bool {
        guard source == 0 else { return true }
        return ["adds", "removes", "texts", "attributes"].contains { !(data?[$0]?.arrayValue ?? []).isEmpty }
    }
}
