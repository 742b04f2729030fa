import Foundation
import Hummingbird
import SextantCore

/// A settings request's JSON object, with typed members that answer 400 naming the member.
struct SettingsBody {
    let json: JSONValue

    static func read(_ request: Request) async throws -> SettingsBody {
        let bytes = try await request.body.collect(upTo: 64 * 1024)
        guard let json = try? JSONValue.parse(Array(buffer: bytes)), json.objectValue != nil else {
            throw APIError.badRequest("request body must be a JSON object")
        }
        return SettingsBody(json: json)
    }

    func string(_ key: String) throws -> String? {
        guard let value = json[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw APIError.badRequest("\(key) must be a string") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    func required(_ key: String) throws -> String {
        guard let text = try string(key) else { throw APIError.badRequest("\(key) is required") }
        return text
    }

    func strings(_ key: String) throws -> [String] {
        guard let value = json[key], !value.isNull else { return [] }
        guard let items = value.arrayValue?.map(\.stringValue), !items.contains(nil) else { throw APIError.badRequest("\(key) must be a list of strings") }
        return items.compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    func integer(_ key: String) throws -> Int64? {
        guard let value = json[key], !value.isNull else { return nil }
        guard let number = value.numberValue, number == number.rounded(), abs(number) < 1e15 else { throw APIError.badRequest("\(key) must be a whole number") }
        return Int64(number)
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = json[key], !value.isNull else { return nil }
        guard case .bool(let flag) = value else { throw APIError.badRequest("\(key) must be true or false") }
        return flag
    }
}

/// What every settings route shares: the domain's refusals as HTTP answers, the configuration file's records left alone, the organization a new record goes into.
enum SettingsRules {
    static func map<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as TenancyError {
            switch error {
            case .unknownProject, .unknownOrganization: throw APIError.badRequest(error.description)
            case .duplicateProject, .duplicateKey: throw APIError.plain(.conflict, error.description)
            }
        } catch let error as MonitorError {
            switch error {
            case .duplicate: throw APIError.plain(.conflict, error.description)
            case .invalidSchedule: throw APIError.badRequest(error.description)
            }
        }
    }

    /// The organization a new record goes into: the named one, or the only one.
    static func organization(_ requested: String?, tenancy: any TenancyStore) async throws -> String {
        let organizations = try await tenancy.organizations()
        if let requested {
            guard organizations.contains(where: { $0.id == requested }) else { throw APIError.badRequest("no organization \"\(requested)\"") }
            return requested
        }
        guard organizations.count == 1 else { throw APIError.badRequest("organization_id is required: there are \(organizations.count) organizations") }
        return organizations[0].id
    }

    /// Records from the configuration file come back at every start, so they are changed there.
    static func requireEditable(source: String, what: String) throws {
        guard source != RecordSource.configuration.rawValue else {
            throw APIError.plain(.conflict, "this \(what) comes from the configuration file; change it there")
        }
    }
}
