import Synchronization

/// Feedback kept in memory (tests, the in-memory store).
public final class InMemoryFeedbackRepository: FeedbackRepository {
    private let records = Mutex<[FeedbackRecord]>([])

    public init() {}

    public func insertFeedback(_ record: FeedbackRecord) async throws { records.withLock { $0.append(record) } }

    public func feedback(_ query: FeedbackQuery) async throws -> [FeedbackRecord] {
        let all = records.withLock { $0.filter(query.matches) }
        guard let limit = query.limit else { return all }
        return Array(all.suffix(Swift.max(limit, 0)))
    }

    public func eraseFeedback(user: String) async throws -> Int {
        records.withLock { list in
            let before = list.count
            list.removeAll { $0.user == user }
            return before - list.count
        }
    }
}
