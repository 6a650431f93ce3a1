import Foundation

/// A webhook of a monitor: where its alerts are POSTed, and the secret the
/// body is signed with (`X-Finch-Signature: sha256=<hex HMAC-SHA256>`).
public struct WebhookRecord: Codable, Sendable, Equatable {
    /// Generated when the webhook is created.
    public var id: String
    /// The monitor whose alerts it receives.
    public var monitor: String
    /// An `http://` or `https://` URL.
    public var url: String
    /// The HMAC key; never returned by the API.
    public var secret: String
    public var createdAt: Date

    public init(id: String, monitor: String, url: String, secret: String, createdAt: Date) {
        self.id = id
        self.monitor = monitor
        self.url = url
        self.secret = secret
        self.createdAt = createdAt
    }
}

/// What became of one delivery attempt.
public enum WebhookAttemptOutcome: String, Codable, Sendable, Equatable {
    /// The target answered 2xx.
    case delivered
    /// It failed (no answer, or not 2xx); another attempt follows after a backoff.
    case retrying
    /// It failed and was the last attempt allowed: the delivery is given up.
    case failed
    /// The target's queue was full, so the delivery was never attempted.
    case dropped
}

/// One row of the delivery log: one attempt of one delivery (one event) to one webhook.
public struct WebhookAttemptRecord: Codable, Sendable, Equatable {
    public var webhook: String
    /// The delivery (the event sent), the same for all of its attempts.
    public var delivery: String
    /// The event's kind (`alert`).
    public var event: String
    /// 1, 2, …
    public var attempt: Int
    public var outcome: WebhookAttemptOutcome
    /// The HTTP status answered, nil when none came (refused, timed out).
    public var statusCode: Int?
    /// Why it failed, when it did and no status says it.
    public var error: String?
    public var at: Date

    public init(
        webhook: String, delivery: String, event: String, attempt: Int, outcome: WebhookAttemptOutcome, statusCode: Int?,
        error: String?, at: Date
    ) {
        self.webhook = webhook
        self.delivery = delivery
        self.event = event
        self.attempt = attempt
        self.outcome = outcome
        self.statusCode = statusCode
        self.error = error
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case webhook, delivery, event, attempt, outcome, statusCode = "status_code", error, at
    }
}

/// Webhooks and their delivery log in the store.
public protocol WebhookRepository: Sendable {
    /// Stores a new webhook; durable when it returns.
    func insertWebhook(_ webhook: WebhookRecord) async throws
    /// Deletes the webhook of `monitor` with this id (its log stays); false when absent.
    func deleteWebhook(id: String, monitor: String) async throws -> Bool
    /// The monitor's webhooks, oldest first.
    func webhooks(monitor: String) async throws -> [WebhookRecord]
    /// Appends one attempt to the delivery log.
    func recordAttempt(_ attempt: WebhookAttemptRecord) async throws
    /// The webhook's newest `limit` attempts, oldest first.
    func attempts(webhook: String, limit: Int) async throws -> [WebhookAttemptRecord]
}
