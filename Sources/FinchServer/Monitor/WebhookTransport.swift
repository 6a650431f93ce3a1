import AsyncHTTPClient
import Foundation
import NIOCore

/// Sends one webhook request: POST `body` to `url` with `headers`; the
/// answered status code, or a thrown error when none came within `timeout`.
public protocol WebhookTransport: Sendable {
    func post(url: String, headers: [(String, String)], body: Data, timeout: Double) async throws -> Int
}

/// The transport over the shared AsyncHTTPClient (HTTP/1.1 and TLS).
public struct HTTPClientWebhookTransport: WebhookTransport {
    public init() {}

    public func post(url: String, headers: [(String, String)], body: Data, timeout: Double) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        // Read (and drop) what the target answered, so the connection can be reused.
        for try await _ in response.body {}
        return Int(response.status.code)
    }
}
