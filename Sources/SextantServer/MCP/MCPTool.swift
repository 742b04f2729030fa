import SextantCore

/// One tool an agent can call: what it does in a line, the arguments it takes and the result it
/// gives (JSON Schemas), whether it changes anything, and the scope its token needs.
struct MCPTool: Sendable {
    let name: String
    let title: String
    let description: String
    let inputProperties: [String: JSONValue]
    let required: [String]
    let output: [String: JSONValue]
    let readOnly: Bool
    let scope: TokenScope
    let run: @Sendable (MCPToolCall) async throws -> JSONWriter

    /// The tool as `tools/list` describes it.
    var listing: JSONValue {
        .object([
            "name": .string(name),
            "title": .string(title),
            "description": .string(description),
            "inputSchema": .object([
                "type": .string("object"), "properties": .object(inputProperties), "required": .array(required.map(JSONValue.string)),
                "additionalProperties": .bool(false),
            ]),
            "outputSchema": .object([
                "type": .string("object"), "properties": .object(output), "required": .array(output.keys.sorted().map(JSONValue.string)),
            ]),
            "annotations": .object([
                "title": .string(title), "readOnlyHint": .bool(readOnly), "destructiveHint": .bool(false),
                "idempotentHint": .bool(true), "openWorldHint": .bool(false),
            ]),
        ])
    }
}

/// Who calls a tool and with what.
struct MCPToolCall: Sendable {
    let arguments: MCPArguments
    let principal: DataAPIPrincipal
    /// Where the dashboard is, for replay links.
    let publicBase: String
}

/// A tool's failure the agent can act on: returned as a result with `isError`, never as a
/// protocol error (MCP's rule), with a message that names the argument or the missing scope.
struct MCPToolError: Error {
    let message: String
}

/// A tool call's `arguments`, read with the checks and messages every tool shares.
struct MCPArguments: Sendable {
    let values: [String: JSONValue]

    func string(_ name: String) throws -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text.isEmpty ? nil : text
        default: throw MCPToolError(message: "\(name) must be a string")
        }
    }

    func requiredString(_ name: String) throws -> String {
        guard let text = try string(name) else { throw MCPToolError(message: "\(name) is required") }
        return text
    }

    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        switch values[name] {
        case nil, .null?: return nil
        case .number(let number)? where number == number.rounded():
            guard let value = number.int64(in: range) else { throw MCPToolError(message: "\(name) must be \(WireRange.describe(range))") }
            return value
        default: throw MCPToolError(message: "\(name) must be an integer")
        }
    }

    func limit(default defaultValue: Int, maximum: Int) throws -> Int {
        try integer("limit", in: 1...Int64(maximum)).map(Int.init) ?? defaultValue
    }

    func stringList(_ name: String) throws -> [String] {
        guard let value = values[name], !value.isNull else { return [] }
        let items = value.arrayValue ?? []
        let strings = items.compactMap(\.stringValue)
        guard value.arrayValue != nil, strings.count == items.count else { throw MCPToolError(message: "\(name) must be an array of strings") }
        return strings
    }

    /// `from` and `to` (Unix milliseconds) with the project, as every read filters by.
    func timeFilter(projectSlug: String) throws -> TimeFilter {
        TimeFilter(projectSlug: projectSlug, from: try integer("from", in: WireRange.timestampMs), to: try integer("to", in: WireRange.timestampMs))
    }
}

/// JSON Schema fragments for tool arguments and results.
enum MCPSchema {
    static func string(_ description: String, values: [String]? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": .string("string"), "description": .string(description)]
        if let values { members["enum"] = .array(values.map(JSONValue.string)) }
        return .object(members)
    }

    static func integer(_ description: String, minimum: Int64? = nil, maximum: Int64? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": .string("integer"), "description": .string(description)]
        if let minimum { members["minimum"] = .number(Double(minimum)) }
        if let maximum { members["maximum"] = .number(Double(maximum)) }
        return .object(members)
    }

    static let array: JSONValue = .object(["type": .string("array")])
    static let object: JSONValue = .object(["type": .string("object")])
    static let nullableString: JSONValue = .object(["type": .array([.string("string"), .string("null")])])
    static let project = string("Project slug; optional when the organization has one project (list_projects names them)")
    static let from = integer("Start, Unix milliseconds", minimum: 0, maximum: WireRange.timestampMs.upperBound)
    static let to = integer("End, Unix milliseconds", minimum: 0, maximum: WireRange.timestampMs.upperBound)
    static func limit(_ maximum: Int64) -> JSONValue { integer("At most this many", minimum: 1, maximum: maximum) }
}
