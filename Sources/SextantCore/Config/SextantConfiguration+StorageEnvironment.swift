import Foundation

extension SextantConfiguration {
    /// `SEXTANT_STORAGE_BACKEND`, `SEXTANT_POSTGRES_URL`, `SEXTANT_BLOBS_BACKEND` and `SEXTANT_S3_*`.
    mutating func applyStorageEnvironment(_ environment: [String: String]) throws {
        if let text = environment.value("SEXTANT_STORAGE_BACKEND") {
            storage.backend = try Self.choice(text, of: StorageSettings.Backend.self, for: "SEXTANT_STORAGE_BACKEND")
        }
        if let url = try environment.secret("SEXTANT_POSTGRES_URL") { storage.postgresURL = url }
        if let text = environment.value("SEXTANT_BLOBS_BACKEND") {
            blobs.backend = try Self.choice(text, of: BlobSettings.Backend.self, for: "SEXTANT_BLOBS_BACKEND")
        }
        if let endpoint = environment.value("SEXTANT_S3_ENDPOINT") { blobs.s3.endpoint = endpoint }
        if let bucket = environment.value("SEXTANT_S3_BUCKET") { blobs.s3.bucket = bucket }
        if let region = environment.value("SEXTANT_S3_REGION") { blobs.s3.region = region }
        if let key = try environment.secret("SEXTANT_S3_ACCESS_KEY_ID") { blobs.s3.accessKeyID = key }
        if let secret = try environment.secret("SEXTANT_S3_SECRET_ACCESS_KEY") { blobs.s3.secretAccessKey = secret }
        if let text = environment.value("SEXTANT_S3_PATH_STYLE") {
            switch text.lowercased() {
            case "1", "true", "yes": blobs.s3.pathStyle = true
            case "0", "false", "no": blobs.s3.pathStyle = false
            default: throw ConfigurationError("SEXTANT_S3_PATH_STYLE: expected true or false, got \"\(text)\"")
            }
        }
    }

    static func choice<Choice: RawRepresentable & CaseIterable>(_ text: String, of: Choice.Type, for name: String) throws -> Choice
    where Choice.RawValue == String {
        guard let value = Choice(rawValue: text.lowercased()) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: " or ")
            throw ConfigurationError("\(name): expected \(names), got \"\(text)\"")
        }
        return value
    }
}

extension [String: String] {
    /// The variable's value, nil when unset or empty.
    func value(_ name: String) -> String? {
        guard let text = self[name], !text.isEmpty else { return nil }
        return text
    }

    /// A secret from `NAME`, or else from the file `NAME_FILE` names (Docker and Kubernetes
    /// secrets), without the file's trailing newline.
    func secret(_ name: String) throws -> String? {
        if let text = value(name) { return text }
        guard let path = value(name + "_FILE") else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw ConfigurationError("cannot read \(name)_FILE \(path)")
        }
    }
}
