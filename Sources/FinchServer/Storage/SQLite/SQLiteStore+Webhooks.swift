import FinchApps
import Foundation
import GRDB

extension SQLiteStore: WebhookRepository {
    public var webhooks: any WebhookRepository { self }

    public func insertWebhook(_ webhook: WebhookRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO monitor_webhooks (id, monitor, url, secret, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [webhook.id, webhook.monitor, webhook.url, webhook.secret, webhook.createdAt.timeIntervalSince1970])
        }
    }

    public func deleteWebhook(id: String, monitor: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM monitor_webhooks WHERE id = ? AND monitor = ?", arguments: [id, monitor])
            return db.changesCount > 0
        }
    }

    public func webhooks(monitor: String) async throws -> [WebhookRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM monitor_webhooks WHERE monitor = ? ORDER BY created_at, id", arguments: [monitor]
            ).map { row in
                WebhookRecord(
                    id: row["id"], monitor: row["monitor"], url: row["url"], secret: row["secret"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }

    public func recordAttempt(_ a: WebhookAttemptRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO monitor_webhook_attempts (seq, webhook, delivery, event, attempt, outcome, status_code, error, at)
                    VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM monitor_webhook_attempts), ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    a.webhook, a.delivery, a.event, a.attempt, a.outcome.rawValue, a.statusCode, a.error, a.at.timeIntervalSince1970,
                ])
        }
    }

    public func attempts(webhook: String, limit: Int) async throws -> [WebhookAttemptRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM monitor_webhook_attempts WHERE webhook = ? ORDER BY seq DESC LIMIT ?",
                arguments: [webhook, Swift.max(limit, 0)]
            ).map { row in
                try WebhookColumns.attempt(
                    webhook: row["webhook"], delivery: row["delivery"], event: row["event"], attempt: row["attempt"],
                    outcome: row["outcome"], statusCode: row["status_code"], error: row["error"], at: row["at"])
            }.reversed()
        }
    }
}

/// Delivery-log columns ↔ `WebhookAttemptRecord`, shared by the SQLite and PostgreSQL stores.
enum WebhookColumns {
    static func attempt(
        webhook: String, delivery: String, event: String, attempt: Int, outcome: String, statusCode: Int?, error: String?, at: Double
    ) throws -> WebhookAttemptRecord {
        guard let outcome = WebhookAttemptOutcome(rawValue: outcome) else {
            throw StoreError.corruptRow(table: "monitor_webhook_attempts", field: "outcome")
        }
        return WebhookAttemptRecord(
            webhook: webhook, delivery: delivery, event: event, attempt: attempt, outcome: outcome, statusCode: statusCode, error: error,
            at: Date(timeIntervalSince1970: at))
    }
}
