import Foundation
import Synchronization

/// Webhooks and their delivery log in memory (tests, a throw-away service).
public final class InMemoryWebhookRepository: WebhookRepository {
    private let state = Mutex((webhooks: [WebhookRecord](), attempts: [WebhookAttemptRecord]()))

    public init() {}

    public func insertWebhook(_ webhook: WebhookRecord) async throws { state.withLock { $0.webhooks.append(webhook) } }

    public func deleteWebhook(id: String, monitor: String) async throws -> Bool {
        state.withLock { s in
            guard let i = s.webhooks.firstIndex(where: { $0.id == id && $0.monitor == monitor }) else { return false }
            s.webhooks.remove(at: i)
            return true
        }
    }

    public func webhooks(monitor: String) async throws -> [WebhookRecord] {
        state.withLock { $0.webhooks.filter { $0.monitor == monitor }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }
    }

    public func recordAttempt(_ attempt: WebhookAttemptRecord) async throws { state.withLock { $0.attempts.append(attempt) } }

    public func attempts(webhook: String, limit: Int) async throws -> [WebhookAttemptRecord] {
        state.withLock { Array($0.attempts.filter { $0.webhook == webhook }.suffix(Swift.max(limit, 0))) }
    }
}
