import FinchApps
import Foundation
import Logging
import PostgresNIO

extension PostgresStore: AssistantRepository {
    public var assistant: any AssistantRepository { self }

    static let assistantLogger = Logger(label: "finch.postgres.assistant")

    public func putAssistantCollection(_ record: AssistantCollectionRecord, entries: [AssistantEntryRecord]) async throws {
        let logger = Self.assistantLogger
        let settings = try AssistantEntryCoding.json(record.settings)
        let calibration = try AssistantEntryCoding.json(record.calibration)
        let encoded = try entries.map { ($0.entry.id, try AssistantEntryCoding.encode($0.entry), VectorCoding.encode($0.vectors)) }
        try await client.withTransaction(logger: logger) { db in
            try await db.query("DELETE FROM assistant_entries WHERE collection = \(record.name)", logger: logger)
            try await db.query("DELETE FROM assistant_collections WHERE name = \(record.name)", logger: logger)
            try await db.query(
                """
                INSERT INTO assistant_collections (name, model, prefix, dimension, settings, calibration, created_at)
                VALUES (\(record.name), \(record.model), \(record.prefix), \(record.dimension), \(settings), \(calibration),
                        \(record.createdAt.timeIntervalSince1970))
                """, logger: logger)
            for (position, (id, json, blob)) in encoded.enumerated() {
                try await db.query(
                    """
                    INSERT INTO assistant_entries (collection, id, position, entry, vectors)
                    VALUES (\(record.name), \(id), \(Int64(position)), \(json), \(blob))
                    """, logger: logger)
            }
            try await db.query("UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 2", logger: logger)
        }
    }

    public func changeAssistantEntries(_ record: AssistantCollectionRecord, upserting: [AssistantEntryRecord], deleting: [String])
        async throws -> Bool
    {
        let logger = Self.assistantLogger
        let settings = try AssistantEntryCoding.json(record.settings)
        let calibration = try AssistantEntryCoding.json(record.calibration)
        let encoded = try upserting.map { ($0.entry.id, try AssistantEntryCoding.encode($0.entry), VectorCoding.encode($0.vectors)) }
        return try await client.withTransaction(logger: logger) { db in
            var found = false
            for try await _ in try await db.query(
                "SELECT name FROM assistant_collections WHERE name = \(record.name) FOR UPDATE", logger: logger
            ).decode(String.self) {
                found = true
            }
            guard found else { return false }
            var next: Int64 = 0
            for try await m in try await db.query(
                "SELECT COALESCE(MAX(position), -1) FROM assistant_entries WHERE collection = \(record.name)", logger: logger
            ).decode(Int64.self) {
                next = m + 1
            }
            for (id, json, blob) in encoded {
                try await db.query(
                    """
                    INSERT INTO assistant_entries (collection, id, position, entry, vectors)
                    VALUES (\(record.name), \(id), \(next), \(json), \(blob))
                    ON CONFLICT (collection, id) DO UPDATE SET entry = EXCLUDED.entry, vectors = EXCLUDED.vectors
                    """, logger: logger)
                next += 1
            }
            for id in deleting {
                try await db.query("DELETE FROM assistant_entries WHERE collection = \(record.name) AND id = \(id)", logger: logger)
            }
            try await db.query(
                """
                UPDATE assistant_collections SET model = \(record.model), prefix = \(record.prefix), dimension = \(record.dimension),
                  settings = \(settings), calibration = \(calibration) WHERE name = \(record.name)
                """, logger: logger)
            try await db.query("UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 2", logger: logger)
            return true
        }
    }

    public func updateAssistantCollection(_ record: AssistantCollectionRecord) async throws -> Bool {
        let logger = Self.assistantLogger
        let settings = try AssistantEntryCoding.json(record.settings)
        let calibration = try AssistantEntryCoding.json(record.calibration)
        return try await client.withTransaction(logger: logger) { db in
            var updated = false
            for try await _ in try await db.query(
                """
                UPDATE assistant_collections SET model = \(record.model), prefix = \(record.prefix), dimension = \(record.dimension),
                  settings = \(settings), calibration = \(calibration) WHERE name = \(record.name) RETURNING name
                """, logger: logger
            ).decode(String.self) {
                updated = true
            }
            if updated { try await db.query("UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 2", logger: logger) }
            return updated
        }
    }

    public func deleteAssistantCollection(name: String) async throws -> Bool {
        let logger = Self.assistantLogger
        return try await client.withTransaction(logger: logger) { db in
            try await db.query("DELETE FROM assistant_entries WHERE collection = \(name)", logger: logger)
            try await db.query("DELETE FROM assistant_asks WHERE collection = \(name)", logger: logger)
            var deleted = false
            for try await _ in try await db.query("DELETE FROM assistant_collections WHERE name = \(name) RETURNING name", logger: logger)
                .decode(String.self)
            {
                deleted = true
            }
            if deleted { try await db.query("UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 2", logger: logger) }
            return deleted
        }
    }

    public func assistantCollections() async throws -> [AssistantCollectionRecord] {
        let rows = try await client.query(
            "SELECT name, model, prefix, dimension, settings, calibration, created_at FROM assistant_collections ORDER BY name",
            logger: Self.assistantLogger)
        var out: [AssistantCollectionRecord] = []
        for try await r in rows.decode((String, String, String, Int, String, String, Double).self) {
            out.append(
                try SQLiteStore.assistantRecord(
                    name: r.0, model: r.1, prefix: r.2, dimension: r.3, settings: r.4, calibration: r.5, createdAt: r.6))
        }
        return out
    }

    public func assistantEntries(collection: String) async throws -> [AssistantEntryRecord] {
        let rows = try await client.query(
            "SELECT entry, vectors FROM assistant_entries WHERE collection = \(collection) ORDER BY position",
            logger: Self.assistantLogger)
        var out: [AssistantEntryRecord] = []
        for try await r in rows.decode((String, Data).self) { out.append(try SQLiteStore.assistantEntry(json: r.0, vectors: r.1)) }
        return out
    }

    public func assistantChangeStamp() async throws -> Int64 {
        let rows = try await client.query("SELECT stamp FROM change_stamp WHERE id = 2", logger: Self.assistantLogger)
        for try await s in rows.decode(Int64.self) { return s }
        return 0
    }

    public func insertAsk(_ ask: AssistantAskRecord) async throws {
        let shown = try AssistantEntryCoding.json(ask.shown)
        try await client.query(
            """
            INSERT INTO assistant_asks (id, collection, session, user_id, query, entry, shown, confidence, handoff, reason,
              latency_ms, created_at, resolution, resolved_at)
            VALUES (\(ask.id), \(ask.collection), \(ask.session), \(ask.user), \(ask.query), \(ask.entry), \(shown), \(ask.confidence),
                    \(ask.handoff ? 1 : 0), \(ask.reason), \(ask.latencyMilliseconds), \(ask.createdAt.timeIntervalSince1970),
                    \(ask.resolution), \(ask.resolvedAt?.timeIntervalSince1970))
            """, logger: Self.assistantLogger)
    }

    static let askColumns =
        "id, collection, session, user_id, query, entry, shown, confidence, handoff, reason, latency_ms, created_at, resolution, resolved_at"

    public func asks(collection: String, session: String) async throws -> [AssistantAskRecord] {
        try await decodeAsks(
            try await client.query(
                """
                SELECT \(unescaped: Self.askColumns) FROM assistant_asks WHERE collection = \(collection) AND session = \(session)
                ORDER BY created_at, id
                """, logger: Self.assistantLogger))
    }

    public func openHandoffs(collection: String) async throws -> [AssistantAskRecord] {
        try await decodeAsks(
            try await client.query(
                """
                SELECT \(unescaped: Self.askColumns) FROM assistant_asks
                WHERE collection = \(collection) AND handoff = 1 AND resolved_at IS NULL ORDER BY created_at, id
                """, logger: Self.assistantLogger))
    }

    func decodeAsks(_ rows: PostgresRowSequence) async throws -> [AssistantAskRecord] {
        var out: [AssistantAskRecord] = []
        for try await row in rows {
            let r = row.makeRandomAccess()
            let id = try r[0].decode(String.self, context: .default)
            let collection = try r[1].decode(String.self, context: .default)
            let session = try r[2].decode(String.self, context: .default)
            let user = try r[3].decode(String?.self, context: .default)
            let query = try r[4].decode(String?.self, context: .default)
            let entry = try r[5].decode(String?.self, context: .default)
            let shownJSON = try r[6].decode(String.self, context: .default)
            let confidence = try r[7].decode(Double.self, context: .default)
            let handoff = try r[8].decode(Int.self, context: .default)
            let reason = try r[9].decode(String?.self, context: .default)
            let latency = try r[10].decode(Double.self, context: .default)
            let created = try r[11].decode(Double.self, context: .default)
            let resolution = try r[12].decode(String?.self, context: .default)
            let resolvedAt = try r[13].decode(Double?.self, context: .default)
            guard let shown = AssistantEntryCoding.value([String].self, json: shownJSON) else {
                throw StoreError.corruptRow(table: "assistant_asks", field: "shown")
            }
            out.append(
                AssistantAskRecord(
                    id: id, collection: collection, session: session, user: user, query: query, entry: entry, shown: shown,
                    confidence: confidence, handoff: handoff != 0, reason: reason, latencyMilliseconds: latency,
                    createdAt: Date(timeIntervalSince1970: created), resolution: resolution,
                    resolvedAt: resolvedAt.map(Date.init(timeIntervalSince1970:))))
        }
        return out
    }

    public func resolveHandoff(id: String, collection: String, answer: String, at date: Date) async throws -> Bool {
        let rows = try await client.query(
            """
            UPDATE assistant_asks SET resolution = \(answer), resolved_at = \(date.timeIntervalSince1970)
            WHERE id = \(id) AND collection = \(collection) AND handoff = 1 AND resolved_at IS NULL RETURNING id
            """, logger: Self.assistantLogger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    public func deleteAsks(user: String) async throws -> Int {
        let rows = try await client.query(
            "DELETE FROM assistant_asks WHERE user_id = \(user) RETURNING id", logger: Self.assistantLogger)
        var count = 0
        for try await _ in rows.decode(String.self) { count += 1 }
        return count
    }
}
