import FinchApps
import Foundation
import GRDB

extension SQLiteStore: FeedbackRepository {
    public var feedback: any FeedbackRepository { self }

    public func insertFeedback(_ record: FeedbackRecord) async throws {
        let entities = try FeedbackColumns.encode(record.entities)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO feedback (id, seq, kind, model, collection, input, label, entities, entry, user_id, key_id, created_at)
                    VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM feedback), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id, record.kind.rawValue, record.model, record.collection, record.input, record.label, entities,
                    record.entry, record.user, record.keyID, record.createdAt.timeIntervalSince1970,
                ])
        }
    }

    public func feedback(_ query: FeedbackQuery) async throws -> [FeedbackRecord] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let model = query.model {
            conditions.append("model = ?")
            arguments.append(model)
        }
        if let collection = query.collection {
            conditions.append("collection = ?")
            arguments.append(collection)
        }
        var sql = "SELECT * FROM feedback"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY seq DESC, id DESC"
        if let limit = query.limit {
            sql += " LIMIT ?"
            arguments.append(Swift.max(limit, 0))
        }
        let statement = sql
        let values = StatementArguments(arguments)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: statement, arguments: values).map { row in
                try FeedbackColumns.record(
                    id: row["id"], kind: row["kind"], model: row["model"], collection: row["collection"], input: row["input"],
                    label: row["label"], entities: row["entities"], entry: row["entry"], user: row["user_id"], keyID: row["key_id"],
                    createdAt: row["created_at"])
            }.reversed()
        }
    }

    public func eraseFeedback(user: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM feedback WHERE user_id = ?", arguments: [user])
            return db.changesCount
        }
    }
}

/// Feedback columns ↔ `FeedbackRecord`, shared by the SQLite and PostgreSQL stores.
enum FeedbackColumns {
    /// Entity spans as JSON text (nil stays NULL).
    static func encode(_ spans: [FeedbackSpan]?) throws -> String? {
        guard let spans else { return nil }
        return String(decoding: try JSONEncoder().encode(spans), as: UTF8.self)
    }

    static func record(
        id: String, kind: String, model: String?, collection: String?, input: String?, label: String?, entities: String?,
        entry: String?, user: String?, keyID: String, createdAt: Double
    ) throws -> FeedbackRecord {
        guard let kind = FeedbackKind(rawValue: kind) else { throw StoreError.corruptRow(table: "feedback", field: "kind") }
        var spans: [FeedbackSpan]?
        if let entities {
            do { spans = try JSONDecoder().decode([FeedbackSpan].self, from: Data(entities.utf8)) } catch {
                throw StoreError.corruptRow(table: "feedback", field: "entities")
            }
        }
        return FeedbackRecord(
            id: id, kind: kind, model: model, collection: collection, input: input, label: label, entities: spans, entry: entry,
            user: user, keyID: keyID, createdAt: Date(timeIntervalSince1970: createdAt))
    }
}
