/// Just enough of an rrweb page to name click targets: each node's tag, id, classes, type and parent,
/// from the full snapshot and the mutations' adds and removes.
struct SnapshotTree {
    struct Node {
        var tag: String?
        var idAttribute: String?
        var classes: [String]
        var inputType: String?
        var editable: Bool
        var parent: Int?
    }

    private var nodes: [Int: Node] = [:]

    mutating func reset(with root: JSONValue?) {
        nodes.removeAll(keepingCapacity: true)
        guard let root else { return }
        add(root, parent: nil)
    }

    mutating func apply(mutation data: JSONValue?) {
        for remove in data?["removes"]?.arrayValue ?? [] {
            if let id = remove["id"]?.intValue { nodes[id] = nil }
        }
        for add in data?["adds"]?.arrayValue ?? [] {
            guard let node = add["node"] else { continue }
            self.add(node, parent: add["parentId"]?.intValue)
        }
    }

    private mutating func add(_ node: JSONValue, parent: Int?) {
        guard let id = node["id"]?.intValue else { return }
        let attributes = node["attributes"]
        let classText = attributes?["class"]?.stringValue ?? ""
        nodes[id] = Node(
            tag: node["tagName"]?.stringValue?.lowercased(), idAttribute: attributes?["id"]?.stringValue,
            classes: classText.split(separator: " ").map(String.init), inputType: attributes?["type"]?.stringValue?.lowercased(),
            editable: attributes?["contenteditable"] != nil, parent: parent)
        for child in node["childNodes"]?.arrayValue ?? [] { add(child, parent: id) }
    }

    func tag(of id: Int) -> String? { nodes[id]?.tag }

    static let textInputTypes: Set<String> = [
        "", "text", "email", "password", "search", "tel", "url", "number", "date", "datetime-local", "month", "time", "week",
    ]

    /// Typing surfaces, where a click without a visible reaction is expected.
    func isTextEntry(_ id: Int) -> Bool {
        guard let node = nodes[id] else { return false }
        switch node.tag {
        case "textarea", "select": return true
        case "input": return Self.textInputTypes.contains(node.inputType ?? "")
        default: return node.editable
        }
    }

    /// `tag#id.class` for the node and up to two element ancestors below `<body>`, stopping at an ancestor with an id.
    func describe(_ id: Int) -> String {
        var parts: [String] = []
        var current: Int? = id
        while let nodeID = current, let node = nodes[nodeID], parts.count < 3 {
            if let tag = node.tag, nodeID == id || (tag != "body" && tag != "html") {
                var part = tag
                if let idAttribute = node.idAttribute, !idAttribute.isEmpty { part += "#" + idAttribute }
                part += node.classes.prefix(2).map { "." + $0 }.joined()
                parts.append(part)
                if node.idAttribute != nil, nodeID != id { break }
            }
            current = node.parent
        }
        return parts.isEmpty ? "node \(id)" : parts.reversed().joined(separator: " > ")
    }
}
