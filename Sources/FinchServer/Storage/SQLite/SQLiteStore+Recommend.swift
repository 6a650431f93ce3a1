import FinchApps
import Foundation
import GRDB

extension SQLiteStore: RecommendEventRepository {
    public var recommendEvents: any RecommendEventRepository { self }

    public func putItem(_ item: RecommendItemRecord) async throws {
        let categories = try RecommendSchema.json(item.categories), attributes = try RecommendSchema.json(item.attributes)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO rec_items (id, title, text, categories, attributes, available, embedding, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text, categories = excluded.categories,
                      attributes = excluded.attributes, available = excluded.available, embedding = excluded.embedding,
                      updated_at = excluded.updated_at
                    """,
                arguments: [
                    item.id, item.title, item.text, categories, attributes, item.available ? 1 : 0,
                    item.embedding.map(VectorCoding.encode), item.updatedAt.timeIntervalSince1970,
                ])
        }
    }

    public func deleteItem(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM rec_items WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func item(id: String) async throws -> RecommendItemRecord? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM rec_items WHERE id = ?", arguments: [id]).map(Self.item) }
    }

    public func allItems() async throws -> [RecommendItemRecord] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM rec_items ORDER BY id").map(Self.item) }
    }

    static func item(_ row: Row) throws -> RecommendItemRecord {
        var embedding: [Float]? = nil
        if let data = row["embedding"] as Data? {
            guard let vector = VectorCoding.decode(data) else { throw StoreError.corruptRow(table: "rec_items", field: "embedding") }
            embedding = vector
        }
        return RecommendItemRecord(
            id: row["id"], title: row["title"], text: row["text"],
            categories: try RecommendSchema.decode([String].self, row["categories"], table: "rec_items", field: "categories"),
            attributes: try RecommendSchema.decode([String: String].self, row["attributes"], table: "rec_items", field: "attributes"),
            available: (row["available"] as Int) != 0, embedding: embedding,
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    public func putUser(_ user: RecommendUserRecord) async throws {
        let attributes = try RecommendSchema.json(user.attributes)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO rec_users (id, attributes, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at
                    """, arguments: [user.id, attributes, user.updatedAt.timeIntervalSince1970])
        }
    }

    public func user(id: String) async throws -> RecommendUserRecord? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM rec_users WHERE id = ?", arguments: [id]) else { return nil }
            return RecommendUserRecord(
                id: row["id"],
                attributes: try RecommendSchema.decode([String: String].self, row["attributes"], table: "rec_users", field: "attributes"),
                updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
        }
    }

    public func appendEvents(_ events: [RecommendEventRecord], at date: Date) async throws -> EventAppendResult {
        let empty = try RecommendSchema.json([String: String]()), noCategories = try RecommendSchema.json([String]())
        return try await pool.write { db in
            var result = EventAppendResult(stored: [], duplicates: [], createdUsers: [], createdItems: [])
            var next = (try Int64.fetchOne(db, sql: "SELECT last FROM rec_sequence WHERE id = 1") ?? 0) + 1
            var batchIDs = Set<String>(), users = Set<String>(), items = Set<String>()
            for (n, e) in events.enumerated() {
                if let id = e.eventID {
                    let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rec_events WHERE event_id = ?", arguments: [id]) ?? 0
                    if stored > 0 || !batchIDs.insert(id).inserted {
                        result.duplicates.append(n)
                        continue
                    }
                }
                if users.insert(e.user).inserted {
                    try db.execute(
                        sql: "INSERT INTO rec_users (id, attributes, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                        arguments: [e.user, empty, date.timeIntervalSince1970])
                    if db.changesCount > 0 { result.createdUsers.append(e.user) }
                }
                if items.insert(e.item).inserted {
                    try db.execute(
                        sql: """
                            INSERT INTO rec_items (id, title, text, categories, attributes, available, embedding, updated_at)
                            VALUES (?, '', '', ?, ?, 1, NULL, ?) ON CONFLICT (id) DO NOTHING
                            """, arguments: [e.item, noCategories, empty, date.timeIntervalSince1970])
                    if db.changesCount > 0 { result.createdItems.append(e.item) }
                }
                try db.execute(
                    sql: "INSERT INTO rec_events (seq, event_id, user_id, item_id, type, value, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [next, e.eventID, e.user, e.item, e.type, e.value, e.time])
                var stored = e
                stored.sequence = next
                result.stored.append(stored)
                next += 1
            }
            try db.execute(sql: "UPDATE rec_sequence SET last = ? WHERE id = 1", arguments: [next - 1])
            return result
        }
    }

    public func events(after sequence: Int64) async throws -> [RecommendEventRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rec_events WHERE seq > ? ORDER BY seq", arguments: [sequence]).map(Self.event)
        }
    }

    public func events(user: String) async throws -> [RecommendEventRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rec_events WHERE user_id = ? ORDER BY seq", arguments: [user]).map(Self.event)
        }
    }

    static func event(_ row: Row) -> RecommendEventRecord {
        RecommendEventRecord(
            sequence: row["seq"], eventID: row["event_id"], user: row["user_id"], item: row["item_id"], type: row["type"],
            value: row["value"], time: row["time"])
    }

    public func lastEventSequence() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT last FROM rec_sequence WHERE id = 1") ?? 0 }
    }

    public func eraseUser(_ id: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM rec_events WHERE user_id = ?", arguments: [id])
            var removed = db.changesCount
            try db.execute(sql: "DELETE FROM rec_users WHERE id = ?", arguments: [id])
            removed += db.changesCount
            return removed
        }
    }
}
