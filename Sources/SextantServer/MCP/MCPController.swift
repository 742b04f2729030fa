import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SextantCore

/// MCP's Streamable HTTP transport at `/mcp` (API.md §9; protocol 2025-06-18 and 2025-11-25):
/// JSON-RPC requests, notifications and batches over POST, answered as JSON or as one
/// server-sent event as the client accepts; `Mcp-Session-Id` from `initialize`; DELETE ends a
/// session. The server sends nothing unasked, so GET (a stream for server messages) is 405, as
/// the transport allows. Tokens, scopes and rate limits are the Data API's.
struct MCPController {
    static let protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26"]
    static let toolsPageSize = 50

    let guardian: DataAPIGuard
    let bodyReader: RequestBodyReader
    let sessions: MCPSessions
    let tools: [MCPTool]
    let publicBase: PublicBase
    let logger: Logger

    func register(in router: Router<AppRequestContext>) {
        router.post("/mcp", use: post)
        router.delete("/mcp", use: delete)
        router.get("/mcp") { _, _ -> Response in
            Response(status: .methodNotAllowed, headers: [.allow: "POST, DELETE"])
        }
    }

    // MARK: HTTP

    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try await admit(request)
        if let version = request.headers[.mcpProtocolVersion], !Self.protocolVersions.contains(version) {
            throw APIError.badRequest("Unsupported MCP-Protocol-Version \(version); supported: \(Self.protocolVersions.joined(separator: ", "))")
        }
        let accept = request.headers[.accept]?.lowercased() ?? "*/*"
        let acceptsJSON = accept.contains("application/json") || accept.contains("*/*")
        guard acceptsJSON || accept.contains("text/event-stream") else {
            throw APIError.plain(.notAcceptable, "Accept application/json or text/event-stream")
        }
        // A session is optional (stateless clients send none), but one that is named must exist.
        if let id = request.headers[.mcpSessionID], sessions.use(id, organizationID: principal.organizationID) == nil {
            throw APIError.plain(.notFound, "Unknown or expired Mcp-Session-Id: initialize again")
        }
        let body = try await bodyReader.json(request)
        guard let message = try? JSONValue.parse(body.readableBytesView) else {
            return reply(.object(Self.error(id: .null, code: -32700, "Parse error: the body is not JSON")), asEvents: !acceptsJSON)
        }
        var exchange = MCPExchange(principal: principal, publicBase: publicBase.of(request))
        let answer: JSONValue?
        switch message {
        case .array(let batch) where batch.isEmpty:
            answer = .object(Self.error(id: .null, code: -32600, "Invalid request: an empty batch"))
        case .array(let batch):
            var answers: [JSONValue] = []
            for item in batch { if let reply = await handle(item, exchange: &exchange) { answers.append(reply) } }
            answer = answers.isEmpty ? nil : .array(answers)
        default:
            answer = await handle(message, exchange: &exchange)
        }
        guard let answer else { return Response(status: .accepted) }
        var response = reply(answer, asEvents: !acceptsJSON)
        if let opened = exchange.openedSession { response.headers[.mcpSessionID] = opened }
        return response
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try await admit(request)
        guard let id = request.headers[.mcpSessionID] else { throw APIError.badRequest("Mcp-Session-Id is required") }
        guard sessions.close(id, organizationID: principal.organizationID) else { throw APIError.plain(.notFound, "Unknown or expired Mcp-Session-Id") }
        return Response(status: .ok)
    }

    /// Origin (against DNS rebinding), bearer token and the token's rate limit.
    private func admit(_ request: Request) async throws -> DataAPIPrincipal {
        let base = publicBase.of(request)
        if let origin = request.headers[.origin], !Self.isAllowed(origin: origin, publicBase: base) {
            throw APIError.plain(.forbidden, "Origin \(origin) is not allowed")
        }
        guard let principal = try await guardian.authenticate(request) else {
            var error = APIError.plain(.unauthorized, "Missing or invalid bearer token")
            error.headers[.wwwAuthenticate] = "Bearer resource_metadata=\"\(base)/.well-known/oauth-protected-resource/mcp\""
            throw error
        }
        _ = try await guardian.admit(principal, access: .read)
        return principal
    }

    /// A browser page may call only from the server's own origin or from this machine.
    static func isAllowed(origin: String, publicBase: String) -> Bool {
        if origin == publicBase { return true }
        guard let host = URLComponents(string: origin)?.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) else { return false }
        return ["localhost", "127.0.0.1", "::1"].contains(host)
    }

    private func reply(_ answer: JSONValue, asEvents: Bool) -> Response {
        var writer = JSONWriter()
        writer.value(answer)
        guard asEvents else { return .json(writer) }
        let event = "event: message\ndata: \(writer.text)\n\n"
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(string: event)))
    }

    // MARK: JSON-RPC

    /// One message's answer: nil for notifications and for responses the client sends.
    private func handle(_ message: JSONValue, exchange: inout MCPExchange) async -> JSONValue? {
        guard case .object(let members) = message, members["jsonrpc"]?.stringValue == "2.0" else {
            return .object(Self.error(id: .null, code: -32600, "Invalid request: not a JSON-RPC 2.0 message"))
        }
        guard let method = members["method"]?.stringValue else { return nil }
        guard let id = members["id"], id.stringValue != nil || id.numberValue != nil else {
            return members["id"] == nil ? nil : .object(Self.error(id: .null, code: -32600, "Invalid request: id must be a string or a number"))
        }
        let params = members["params"]?.objectValue ?? [:]
        do {
            let result = try await dispatch(method, params: params, exchange: &exchange)
            return .object(["jsonrpc": .string("2.0"), "id": id, "result": result])
        } catch let error as MCPProtocolError {
            return .object(Self.error(id: id, code: error.code, error.message))
        } catch {
            logger.error("MCP request failed", metadata: ["method": "\(method)", "error": "\(error)"])
            return .object(Self.error(id: id, code: -32603, "Internal error"))
        }
    }

    private func dispatch(_ method: String, params: [String: JSONValue], exchange: inout MCPExchange) async throws -> JSONValue {
        switch method {
        case "initialize":
            let requested = params["protocolVersion"]?.stringValue ?? ""
            let version = Self.protocolVersions.contains(requested) ? requested : Self.protocolVersions[0]
            exchange.openedSession = sessions.open(organizationID: exchange.principal.organizationID, protocolVersion: version)
            return .object([
                "protocolVersion": .string(version),
                "capabilities": .object(["tools": .object(["listChanged": .bool(false)])]),
                "serverInfo": .object(["name": .string("sextant"), "title": .string("Sextant"), "version": .string("1.0.0")]),
                "instructions": .string("""
                    Sextant holds one organization's errors (grouped into issues), session replays, product events, logs, \
                    HTTP and database telemetry, releases and cron monitors. Start with list_issues or list_projects; \
                    get_issue gives the sample session for get_session_timeline.
                    """),
            ])
        case "ping":
            return .object([:])
        case "tools/list":
            var start = 0
            if let cursor = params["cursor"] {
                guard let text = cursor.stringValue, let offset = Int(text), (0...tools.count).contains(offset) else {
                    throw MCPProtocolError(code: -32602, message: "Invalid params: unknown cursor")
                }
                start = offset
            }
            let end = min(start + Self.toolsPageSize, tools.count)
            var result: [String: JSONValue] = ["tools": .array(tools[start..<end].map(\.listing))]
            if end < tools.count { result["nextCursor"] = .string(String(end)) }
            return .object(result)
        case "tools/call":
            guard let name = params["name"]?.stringValue else { throw MCPProtocolError(code: -32602, message: "Invalid params: name is required") }
            guard let tool = tools.first(where: { $0.name == name }) else {
                throw MCPProtocolError(code: -32602, message: "Unknown tool: \(name)")
            }
            let arguments: [String: JSONValue]
            switch params["arguments"] {
            case nil, .null?: arguments = [:]
            case .object(let members)?: arguments = members
            default: throw MCPProtocolError(code: -32602, message: "Invalid params: arguments must be an object")
            }
            return await call(tool, arguments: arguments, exchange: exchange)
        default:
            throw MCPProtocolError(code: -32601, message: "Method not found: \(method)")
        }
    }

    /// A tool's outcome is always a result; its failures are results with `isError`.
    private func call(_ tool: MCPTool, arguments: [String: JSONValue], exchange: MCPExchange) async -> JSONValue {
        guard exchange.principal.scopes.contains(tool.scope) else {
            return Self.toolError("This token lacks the \(tool.scope.rawValue) scope that \(tool.name) needs")
        }
        if let unknown = arguments.keys.sorted().first(where: { tool.inputProperties[$0] == nil }) {
            return Self.toolError("\(tool.name) takes no argument \(unknown)")
        }
        do {
            let writer = try await tool.run(MCPToolCall(arguments: MCPArguments(values: arguments), principal: exchange.principal, publicBase: exchange.publicBase))
            let structured = try JSONValue.parse(writer.bytes)
            return .object(["content": .array([.object(["type": .string("text"), "text": .string(writer.text)])]),
                            "structuredContent": structured, "isError": .bool(false)])
        } catch let error as MCPToolError {
            return Self.toolError(error.message)
        } catch {
            logger.error("MCP tool failed", metadata: ["tool": "\(tool.name)", "error": "\(error)"])
            return Self.toolError("\(tool.name) failed: the server could not read its data (\(error))")
        }
    }

    static func toolError(_ message: String) -> JSONValue {
        .object(["content": .array([.object(["type": .string("text"), "text": .string(message)])]), "isError": .bool(true)])
    }

    static func error(id: JSONValue, code: Int, _ message: String) -> [String: JSONValue] {
        ["jsonrpc": .string("2.0"), "id": id, "error": .object(["code": .number(Double(code)), "message": .string(message)])]
    }
}

/// What one POST carries through its messages.
struct MCPExchange {
    let principal: DataAPIPrincipal
    let publicBase: String
    var openedSession: String?
}

/// A JSON-RPC error answer (as opposed to a tool's failure, which is a result).
struct MCPProtocolError: Error {
    let code: Int
    let message: String
}

extension HTTPField.Name {
    static let mcpSessionID = Self("Mcp-Session-Id")!
    static let mcpProtocolVersion = Self("MCP-Protocol-Version")!
}
