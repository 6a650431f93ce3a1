import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A webhook target for tests: a Hummingbird app on 127.0.0.1 whose
/// `POST /hook` records each request (body, signature check, time) and
/// answers the next status of `statuses` (then 200); `POST /slow` never
/// answers before `slowSeconds`.
final class WebhookReceiver: @unchecked Sendable {
    struct Received {
        var body: Data
        var signature: String?
        var signatureValid: Bool
        var event: String?
        var at: Date
    }

    private let lock = NSLock()
    private var statuses: [Int]
    private var received: [Received] = []
    let secret: String
    let slowSeconds: Double

    init(secret: String, statuses: [Int] = [], slowSeconds: Double = 5) {
        self.secret = secret
        self.statuses = statuses
        self.slowSeconds = slowSeconds
    }

    var requests: [Received] { lock.withLock { received } }

    /// Runs the receiver on a free port for the duration of `body`.
    func run(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let data = Data(buffer: buffer)
            let signature = request.headers[.init(WebhookSignature.header)!]
            let record = Received(
                body: data, signature: signature,
                signatureValid: signature.map { WebhookSignature.isValid($0, body: data, secret: self.secret) } ?? false,
                event: request.headers[.init("X-Finch-Event")!], at: Date())
            let status = self.lock.withLock {
                self.received.append(record)
                return self.statuses.isEmpty ? 200 : self.statuses.removeFirst()
            }
            return Response(status: .init(code: status))
        }
        router.post("slow") { _, _ -> Response in
            try await Task.sleep(nanoseconds: UInt64(self.slowSeconds * 1e9))
            return Response(status: .ok)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(try requireValue(client.port))
        }
    }
}

func requireValue<T>(_ value: T?) throws -> T {
    guard let value else { throw CancellationError() }
    return value
}
