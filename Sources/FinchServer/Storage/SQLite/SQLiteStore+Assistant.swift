import FinchApps
import Foundation
import GRDB

extension SQLiteStore: AssistantRepository {
    public var assistant: any AssistantRepository { self }

    static let bumpAssistant = "UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 2"

    public func putAssistantCollection(_ record: AssistantCollectionRecord, entries: [AssistantEntryRecord]) async throws {
        let row = try Self.assistantArguments(record)
        let encoded = try entries.map { (try AssistantEntryCoding.encode($0.entry), VectorCoding.encode($0.vectors)) }
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM assistant_entries WHERE collection = ?", arguments: [record.name])
            try db.execute(sql: "DELETE FROM assistant_collections WHERE name = ?", arguments: [record.name])
            try db.execute(
                sql: """
                    INSERT INTO assistant_collections (name, model, prefix, dimension, settings, calibration, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: row)
            for (position, (entry, (json, blob))) in zip(entries, encoded).enumerated() {
                try db.execute(
                    sql: "INSERT INTO assistant_entries (collection, id, position, entry, vectors) VALUES (?, ?, ?, ?, ?)",
                    arguments: [record.name, entry.entry.id, position, json, blob])
            }
            try db.execute(sql: Self.bumpAssistant)
        }
    }

    public func changeAssistantEntries(_ record: AssistantCollectionRecord, upserting: [AssistantEntryRecord], deleting: [String])
        async throws -> Bool
    {
        let row = try Self.assistantArguments(record)
        let encoded = try upserting.map { ($0.entry.id, try AssistantEntryCoding.encode($0.entry), VectorCoding.encode($0.vectors)) }
        return try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM assistant_collections WHERE name = ?", arguments: [record.name]) == 1
            else { return false }
            var next =
                (try Int64.fetchOne(
                    db, sql: "SELECT MAX(position) FROM assistant_entries WHERE collection = ?", arguments: [record.name]) ?? -1) + 1
            for (id, json, blob) in encoded {
                try db.execute(
                    sql: """
                        INSERT INTO assistant_entries (collection, id, position, entry, vectors) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (collection, id) DO UPDATE SET entry = excluded.entry, vectors = excluded.vectors
                        """,
                    arguments: [record.name, id, next, json, blob])
                next += 1
            }
            for id in deleting {
                try db.execute(sql: "DELETE FROM assistant_entries WHERE collection = ? AND id = ?", arguments: [record.name, id])
            }
            try Self.updateAssistantRow(db, row)
            try db.execute(sql: Self.bumpAssistant)
            return true
        }
    }

    public func updateAssistantCollection(_ record: AssistantCollectionRecord) async throws -> Bool {
        let row = try Self.assistantArguments(record)
        return try await pool.write { db in
            try Self.updateAssistantRow(db, row)
            let changed = db.changesCount > 0
            if changed { try db.execute(sql: Self.bumpAssistant) }
            return changed
        }
    }

    static func updateAssistantRow(_ db: Database, _ row: StatementArguments) throws {
        // Arguments are in INSERT order; the UPDATE names the columns after the key.
        try db.execute(
            sql: """
                UPDATE assistant_collections SET model = ?2, prefix = ?3, dimension = ?4, settings = ?5, calibration = ?6,
                  created_at = ?7 WHERE name = ?1
                """, arguments: row)
    }

    public func deleteAssistantCollection(name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM assistant_entries WHERE collection = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM assistant_asks WHERE collection = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM assistant_collections WHERE name = ?", arguments: [name])
            let changed = db.changesCount > 0
            if changed { try db.execute(sql: Self.bumpAssistant) }
            return changed
        }
    }

    public func assistantCollections() async throws -> [AssistantCollectionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM assistant_collections ORDER BY name").map { row in
                try Self.assistantRecord(
                    name: row["name"], model: row["model"], prefix: row["prefix"], dimension: row["dimension"], settings: row["settings"],
                    calibration: row["calibration"], createdAt: row["created_at"])
            }
        }
    }

    public func assistantEntries(collection: String) async throws -> [AssistantEntryRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT entry, vectors FROM assistant_entries WHERE collection = ? ORDER BY position", arguments: [collection]
            ).map { row in try Self.assistantEntry(json: row["entry"], vectors: row["vectors"]) }
        }
    }

    public func assistantChangeStamp() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT stamp FROM change_stamp WHERE id = 2") ?? 0 }
    }

    public func insertAsk(_ ask: AssistantAskRecord) async throws {
        let shown = try AssistantEntryCoding.json(ask.shown)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO assistant_asks (id, collection, session, user_id, query, entry, shown, confidence, handoff, reason,
                      latency_ms, created_at, resolution, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    ask.id, ask.collection, ask.session, ask.user, ask.query, ask.entry, shown, ask.confidence, ask.handoff ? 1 : 0,
                    ask.reason, ask.latencyMilliseconds, ask.createdAt.timeIntervalSince1970, ask.resolution,
                    ask.resolvedAt?.timeIntervalSince1970,
                ])
        }
    }

    public func asks(collection: String, session: String) async throws -> [AssistantAskRecord] {
        try await fetchAsks(
            "SELECT * FROM assistant_asks WHERE collection = ? AND session = ? ORDER BY created_at, id", [collection, session])
    }

    public func openHandoffs(collection: String) async throws -> [AssistantAskRecord] {
        try await fetchAsks(
            "SELECT * FROM assistant_asks WHERE collection = ? AND handoff = 1 AND resolved_at IS NULL ORDER BY created_at, id",
            [collection])
    }

    func fetchAsks(_ sql: String, _ arguments: StatementArguments) async throws -> [AssistantAskRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                guard let shown = AssistantEntryCoding.value([String].self, json: row["shown"]) else {
                    throw StoreError.corruptRow(table: "assistant_asks", field: "shown")
                }
                return AssistantAskRecord(
                    id: row["id"], collection: row["collection"], session: row["session"], user: row["user_id"], query: row["query"],
                    entry: row["entry"], shown: shown, confidence: row["confidence"], handoff: (row["handoff"] as Int) != 0,
                    reason: row["reason"], latencyMilliseconds: row["latency_ms"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    resolution: row["resolution"], resolvedAt: (row["resolved_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    public func resolveHandoff(id: String, collection: String, answer: String, at date: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE assistant_asks SET resolution = ?, resolved_at = ?
                    WHERE id = ? AND collection = ? AND handoff = 1 AND resolved_at IS NULL
                    """, arguments: [answer, date.timeIntervalSince1970, id, collection])
            return db.changesCount > 0
        }
    }

    public func deleteAsks(user: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM assistant_asks WHERE user_id = ?", arguments: [user])
            return db.changesCount
        }
    }

    static func assistantArguments(_ r: AssistantCollectionRecord) throws -> StatementArguments {
        [
            r.name, r.model, r.prefix, r.dimension, try AssistantEntryCoding.json(r.settings), try AssistantEntryCoding.json(r.calibration),
            r.createdAt.timeIntervalSince1970,
        ]
    }
}

extension SQLiteStore {
    /// A collection record from its stored columns (shared with the PostgreSQL store's decoding rules).
    static func assistantRecord(
        name: String, model: String, prefix: String, dimension: Int, settings: String, calibration: String, createdAt: Double
    ) throws -> AssistantCollectionRecord {
        guard let s = AssistantEntryCoding.value(AssistantSettings.self, json: settings) else {
            throw StoreError.corruptRow(table: "assistant_collections", field: "settings")
        }
        guard let c = AssistantEntryCoding.value(AssistantCalibration.self, json: calibration) else {
            throw StoreError.corruptRow(table: "assistant_collections", field: "calibration")
        }
        return AssistantCollectionRecord(
            name: name, model: model, prefix: prefix, dimension: dimension, settings: s, calibration: c,
            createdAt: Date(timeIntervalSince1970: createdAt))
    }

    static func assistantEntry(json: String, vectors: Data) throws -> AssistantEntryRecord {
        guard let entry = AssistantEntryCoding.decodeEntry(json) else {
            throw StoreError.corruptRow(table: "assistant_entries", field: "entry")
        }
        guard let v = VectorCoding.decode(vectors) else { throw StoreError.corruptRow(table: "assistant_entries", field: "vectors") }
        return AssistantEntryRecord(entry: entry, vectors: v)
    }
}
