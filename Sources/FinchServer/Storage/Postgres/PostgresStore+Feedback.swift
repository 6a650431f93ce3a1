import FinchApps
import Foundation
import PostgresNIO

extension PostgresStore: FeedbackRepository {
    public var feedback: any FeedbackRepository { self }

    public func insertFeedback(_ record: FeedbackRecord) async throws {
        let entities = try FeedbackColumns.encode(record.entities)
        try await client.query(
            """
            INSERT INTO feedback (id, seq, kind, model, collection, input, label, entities, entry, user_id, key_id, created_at)
            VALUES (\(record.id), (SELECT COALESCE(MAX(seq), 0) + 1 FROM feedback), \(record.kind.rawValue), \(record.model),
                    \(record.collection), \(record.input), \(record.label), \(entities), \(record.entry), \(record.user),
                    \(record.keyID), \(record.createdAt.timeIntervalSince1970))
            """, logger: feedbackLogger)
    }

    typealias FeedbackRow = (String, String, String?, String?, String?, String?, String?, String?, String?, String, Double)

    public func feedback(_ query: FeedbackQuery) async throws -> [FeedbackRecord] {
        let columns = "id, kind, model, collection, input, label, entities, entry, user_id, key_id, created_at"
        let limit = query.limit.map { Swift.max($0, 0) } ?? Int(Int32.max)
        let rows: PostgresRowSequence
        switch (query.model, query.collection) {
        case let (model?, collection?):
            rows = try await client.query(
                "SELECT \(unescaped: columns) FROM feedback WHERE model = \(model) AND collection = \(collection) ORDER BY seq DESC, id DESC LIMIT \(limit)",
                logger: feedbackLogger)
        case let (model?, nil):
            rows = try await client.query(
                "SELECT \(unescaped: columns) FROM feedback WHERE model = \(model) ORDER BY seq DESC, id DESC LIMIT \(limit)",
                logger: feedbackLogger)
        case let (nil, collection?):
            rows = try await client.query(
                "SELECT \(unescaped: columns) FROM feedback WHERE collection = \(collection) ORDER BY seq DESC, id DESC LIMIT \(limit)",
                logger: feedbackLogger)
        case (nil, nil):
            rows = try await client.query(
                "SELECT \(unescaped: columns) FROM feedback ORDER BY seq DESC, id DESC LIMIT \(limit)", logger: feedbackLogger)
        }
        var out: [FeedbackRecord] = []
        for try await r in rows.decode(FeedbackRow.self) {
            out.append(
                try FeedbackColumns.record(
                    id: r.0, kind: r.1, model: r.2, collection: r.3, input: r.4, label: r.5, entities: r.6, entry: r.7, user: r.8,
                    keyID: r.9, createdAt: r.10))
        }
        return out.reversed()
    }

    public func eraseFeedback(user: String) async throws -> Int {
        let rows = try await client.query("DELETE FROM feedback WHERE user_id = \(user) RETURNING id", logger: feedbackLogger)
        var count = 0
        for try await _ in rows.decode(String.self) { count += 1 }
        return count
    }

    private var feedbackLogger: Logger { Logger(label: "finch.postgres.feedback") }
}
