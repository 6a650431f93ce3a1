import FinchApps
import Foundation
import Logging
import PostgresNIO

extension PostgresStore: RecommendEventRepository {
    public var recommendEvents: any RecommendEventRepository { self }

    public func putItem(_ item: RecommendItemRecord) async throws {
        let categories = try RecommendSchema.json(item.categories), attributes = try RecommendSchema.json(item.attributes)
        let embedding = item.embedding.map(VectorCoding.encode)
        try await client.query(
            """
            INSERT INTO rec_items (id, title, text, categories, attributes, available, embedding, updated_at)
            VALUES (\(item.id), \(item.title), \(item.text), \(categories), \(attributes), \(item.available ? 1 : 0), \(embedding),
                    \(item.updatedAt.timeIntervalSince1970))
            ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, text = EXCLUDED.text, categories = EXCLUDED.categories,
              attributes = EXCLUDED.attributes, available = EXCLUDED.available, embedding = EXCLUDED.embedding,
              updated_at = EXCLUDED.updated_at
            """, logger: recommendLogger)
    }

    public func deleteItem(id: String) async throws -> Bool {
        let rows = try await client.query("DELETE FROM rec_items WHERE id = \(id) RETURNING id", logger: recommendLogger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    typealias ItemRow = (String, String, String, String, String, Int, Data?, Double)

    static func item(_ r: ItemRow) throws -> RecommendItemRecord {
        var embedding: [Float]? = nil
        if let data = r.6 {
            guard let vector = VectorCoding.decode(data) else { throw StoreError.corruptRow(table: "rec_items", field: "embedding") }
            embedding = vector
        }
        return RecommendItemRecord(
            id: r.0, title: r.1, text: r.2,
            categories: try RecommendSchema.decode([String].self, r.3, table: "rec_items", field: "categories"),
            attributes: try RecommendSchema.decode([String: String].self, r.4, table: "rec_items", field: "attributes"),
            available: r.5 != 0, embedding: embedding, updatedAt: Date(timeIntervalSince1970: r.7))
    }

    public func item(id: String) async throws -> RecommendItemRecord? {
        let rows = try await client.query(
            "SELECT id, title, text, categories, attributes, available, embedding, updated_at FROM rec_items WHERE id = \(id)",
            logger: recommendLogger)
        for try await r in rows.decode(ItemRow.self) { return try Self.item(r) }
        return nil
    }

    public func allItems() async throws -> [RecommendItemRecord] {
        let rows = try await client.query(
            "SELECT id, title, text, categories, attributes, available, embedding, updated_at FROM rec_items ORDER BY id",
            logger: recommendLogger)
        var out: [RecommendItemRecord] = []
        for try await r in rows.decode(ItemRow.self) { out.append(try Self.item(r)) }
        return out
    }

    public func putUser(_ user: RecommendUserRecord) async throws {
        let attributes = try RecommendSchema.json(user.attributes)
        try await client.query(
            """
            INSERT INTO rec_users (id, attributes, updated_at) VALUES (\(user.id), \(attributes), \(user.updatedAt.timeIntervalSince1970))
            ON CONFLICT (id) DO UPDATE SET attributes = EXCLUDED.attributes, updated_at = EXCLUDED.updated_at
            """, logger: recommendLogger)
    }

    public func user(id: String) async throws -> RecommendUserRecord? {
        let rows = try await client.query("SELECT id, attributes, updated_at FROM rec_users WHERE id = \(id)", logger: recommendLogger)
        for try await r in rows.decode((String, String, Double).self) {
            return RecommendUserRecord(
                id: r.0, attributes: try RecommendSchema.decode([String: String].self, r.1, table: "rec_users", field: "attributes"),
                updatedAt: Date(timeIntervalSince1970: r.2))
        }
        return nil
    }

    public func appendEvents(_ events: [RecommendEventRecord], at date: Date) async throws -> EventAppendResult {
        let logger = recommendLogger
        let empty = try RecommendSchema.json([String: String]()), noCategories = try RecommendSchema.json([String]())
        let now = date.timeIntervalSince1970
        return try await client.withTransaction(logger: logger) { db in
            try await db.query("SELECT pg_advisory_xact_lock(7265415)", logger: logger)
            var result = EventAppendResult(stored: [], duplicates: [], createdUsers: [], createdItems: [])
            var next: Int64 = 1
            for try await m in try await db.query("SELECT last FROM rec_sequence WHERE id = 1", logger: logger).decode(Int64.self) {
                next = m + 1
            }
            var batchIDs = Set<String>(), users = Set<String>(), items = Set<String>()
            for (n, e) in events.enumerated() {
                if let id = e.eventID {
                    var stored = false
                    for try await _ in try await db.query("SELECT seq FROM rec_events WHERE event_id = \(id)", logger: logger)
                        .decode(Int64.self)
                    {
                        stored = true
                    }
                    if stored || !batchIDs.insert(id).inserted {
                        result.duplicates.append(n)
                        continue
                    }
                }
                if users.insert(e.user).inserted {
                    for try await _ in try await db.query(
                        """
                        INSERT INTO rec_users (id, attributes, updated_at) VALUES (\(e.user), \(empty), \(now))
                        ON CONFLICT (id) DO NOTHING RETURNING id
                        """, logger: logger
                    ).decode(String.self) {
                        result.createdUsers.append(e.user)
                    }
                }
                if items.insert(e.item).inserted {
                    for try await _ in try await db.query(
                        """
                        INSERT INTO rec_items (id, title, text, categories, attributes, available, embedding, updated_at)
                        VALUES (\(e.item), '', '', \(noCategories), \(empty), 1, NULL, \(now)) ON CONFLICT (id) DO NOTHING RETURNING id
                        """, logger: logger
                    ).decode(String.self) {
                        result.createdItems.append(e.item)
                    }
                }
                try await db.query(
                    """
                    INSERT INTO rec_events (seq, event_id, user_id, item_id, type, value, time)
                    VALUES (\(next), \(e.eventID), \(e.user), \(e.item), \(e.type), \(e.value), \(e.time))
                    """, logger: logger)
                var stored = e
                stored.sequence = next
                result.stored.append(stored)
                next += 1
            }
            try await db.query("UPDATE rec_sequence SET last = \(next - 1) WHERE id = 1", logger: logger)
            return result
        }
    }

    typealias EventRow = (Int64, String?, String, String, String, Double, Double)

    static func event(_ r: EventRow) -> RecommendEventRecord {
        RecommendEventRecord(sequence: r.0, eventID: r.1, user: r.2, item: r.3, type: r.4, value: r.5, time: r.6)
    }

    public func events(after sequence: Int64) async throws -> [RecommendEventRecord] {
        let rows = try await client.query(
            "SELECT seq, event_id, user_id, item_id, type, value, time FROM rec_events WHERE seq > \(sequence) ORDER BY seq",
            logger: recommendLogger)
        var out: [RecommendEventRecord] = []
        for try await r in rows.decode(EventRow.self) { out.append(Self.event(r)) }
        return out
    }

    public func events(user: String) async throws -> [RecommendEventRecord] {
        let rows = try await client.query(
            "SELECT seq, event_id, user_id, item_id, type, value, time FROM rec_events WHERE user_id = \(user) ORDER BY seq",
            logger: recommendLogger)
        var out: [RecommendEventRecord] = []
        for try await r in rows.decode(EventRow.self) { out.append(Self.event(r)) }
        return out
    }

    public func lastEventSequence() async throws -> Int64 {
        let rows = try await client.query("SELECT last FROM rec_sequence WHERE id = 1", logger: recommendLogger)
        for try await s in rows.decode(Int64.self) { return s }
        return 0
    }

    public func eraseUser(_ id: String) async throws -> Int {
        let logger = recommendLogger
        return try await client.withTransaction(logger: logger) { db in
            var removed = 0
            for try await _ in try await db.query("DELETE FROM rec_events WHERE user_id = \(id) RETURNING seq", logger: logger)
                .decode(Int64.self)
            {
                removed += 1
            }
            for try await _ in try await db.query("DELETE FROM rec_users WHERE id = \(id) RETURNING id", logger: logger)
                .decode(String.self)
            {
                removed += 1
            }
            return removed
        }
    }

    private var recommendLogger: Logger { Logger(label: "finch.postgres.recommend") }
}
