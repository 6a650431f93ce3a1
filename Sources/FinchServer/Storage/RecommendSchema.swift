import Foundation

/// Migration 5: the recommendation service's items, users and events.
/// `seq` is the order of acknowledgement, from the counter `rec_sequence`
/// (assigned inside the writing transaction, never reused after an erasure); `event_id` is the client's optional id, unique when given
/// (both databases allow many NULLs in a unique index); `categories`,
/// `attributes` are JSON texts; `embedding` the item text's vector
/// (little-endian Float32) when computed.
enum RecommendSchema {
    static let statements = [
        """
        CREATE TABLE rec_items (id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, categories TEXT NOT NULL,
          attributes TEXT NOT NULL, available INTEGER NOT NULL, embedding {blob}, updated_at {real} NOT NULL)
        """,
        "CREATE TABLE rec_users (id TEXT PRIMARY KEY, attributes TEXT NOT NULL, updated_at {real} NOT NULL)",
        """
        CREATE TABLE rec_events (seq BIGINT PRIMARY KEY, event_id TEXT, user_id TEXT NOT NULL, item_id TEXT NOT NULL,
          type TEXT NOT NULL, value {real} NOT NULL, time {real} NOT NULL)
        """,
        "CREATE UNIQUE INDEX rec_events_event_id ON rec_events (event_id)",
        "CREATE INDEX rec_events_user ON rec_events (user_id, seq)",
        "CREATE TABLE rec_sequence (id INTEGER PRIMARY KEY, last BIGINT NOT NULL)",
        "INSERT INTO rec_sequence (id, last) VALUES (1, 0)",
    ]

    /// `value` as a JSON text (sorted keys).
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A JSON text read back as `T`.
    /// - Throws: `StoreError.corruptRow` naming the table and column.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String, table: String, field: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw StoreError.corruptRow(table: table, field: field)
        }
    }
}
