import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SextantCore

/// Posts webhook bodies with Foundation's HTTP client (TLS included), ten seconds at most each.
struct URLSessionWebhookTransport: WebhookTransport {
    struct Refused: Error, CustomStringConvertible {
        var status: Int
        var description: String { "the receiver answered \(status)" }
    }

    func post(json body: String, to url: String) async throws {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("sextant-webhooks", forHTTPHeaderField: "User-Agent")
        request.httpBody = Data(body.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Refused(status: status) }
    }
}
