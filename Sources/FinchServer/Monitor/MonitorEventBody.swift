import FinchApps
import Foundation

/// The JSON of live events and webhook bodies (one line each; dates ISO 8601).
enum MonitorEventBody {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static func encode(_ value: some Encodable) throws -> Data { try encoder.encode(value) }

    /// An SSE `alert` event: the alert and the texts that drove it.
    struct AlertEvent: Encodable {
        var alert: Alert
        var documents: [ScoredDocument]
    }

    /// A webhook's body.
    struct WebhookPayload: Encodable {
        var event: String
        var monitor: String
        var alert: Alert
        var documents: [ScoredDocument]
    }
}
