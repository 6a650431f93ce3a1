import FinchApps
import Foundation
import PostgresNIO

extension PostgresStore: WebhookRepository {
    public var webhooks: any WebhookRepository { self }

    public func insertWebhook(_ webhook: WebhookRecord) async throws {
        try await client.query(
            """
            INSERT INTO monitor_webhooks (id, monitor, url, secret, created_at)
            VALUES (\(webhook.id), \(webhook.monitor), \(webhook.url), \(webhook.secret), \(webhook.createdAt.timeIntervalSince1970))
            """, logger: webhookLogger)
    }

    public func deleteWebhook(id: String, monitor: String) async throws -> Bool {
        let rows = try await client.query(
            "DELETE FROM monitor_webhooks WHERE id = \(id) AND monitor = \(monitor) RETURNING id", logger: webhookLogger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    public func webhooks(monitor: String) async throws -> [WebhookRecord] {
        let rows = try await client.query(
            "SELECT id, monitor, url, secret, created_at FROM monitor_webhooks WHERE monitor = \(monitor) ORDER BY created_at, id",
            logger: webhookLogger)
        var out: [WebhookRecord] = []
        for try await r in rows.decode((String, String, String, String, Double).self) {
            out.append(WebhookRecord(id: r.0, monitor: r.1, url: r.2, secret: r.3, createdAt: Date(timeIntervalSince1970: r.4)))
        }
        return out
    }

    public func recordAttempt(_ a: WebhookAttemptRecord) async throws {
        // The sequence number comes from MAX(seq) + 1 under a transaction-level lock, so concurrent writers never share one.
        try await client.withTransaction(logger: webhookLogger) { db in
            try await db.query("SELECT pg_advisory_xact_lock(7265414)", logger: webhookLogger)
            try await db.query(
                """
                INSERT INTO monitor_webhook_attempts (seq, webhook, delivery, event, attempt, outcome, status_code, error, at)
                VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM monitor_webhook_attempts), \(a.webhook), \(a.delivery), \(a.event),
                        \(a.attempt), \(a.outcome.rawValue), \(a.statusCode), \(a.error), \(a.at.timeIntervalSince1970))
                """, logger: webhookLogger)
        }
    }

    public func attempts(webhook: String, limit: Int) async throws -> [WebhookAttemptRecord] {
        let rows = try await client.query(
            """
            SELECT webhook, delivery, event, attempt, outcome, status_code, error, at FROM monitor_webhook_attempts
            WHERE webhook = \(webhook) ORDER BY seq DESC LIMIT \(Swift.max(limit, 0))
            """, logger: webhookLogger)
        var out: [WebhookAttemptRecord] = []
        for try await r in rows.decode((String, String, String, Int, String, Int?, String?, Double).self) {
            out.append(
                try WebhookColumns.attempt(
                    webhook: r.0, delivery: r.1, event: r.2, attempt: r.3, outcome: r.4, statusCode: r.5, error: r.6, at: r.7))
        }
        return out.reversed()
    }

    private var webhookLogger: Logger { Logger(label: "finch.postgres.webhooks") }
}
