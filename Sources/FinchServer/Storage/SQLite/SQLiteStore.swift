import FinchApps
import Foundation
import GRDB

/// The default store: one SQLite file (GRDB) in WAL mode with
/// `synchronous=FULL`, so a write acknowledged to a client survives a crash
/// or power loss, and `secure_delete=ON`, so deleted rows are zeroed in the
/// file. Several processes may open the same file.
public final class SQLiteStore: ServiceStore, APIKeyRepository, ModelVersionRepository, CollectionRepository {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating when missing) the database at `path` and applies the migrations.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Deleted content is overwritten with zeros, so an erased user's data is not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
            try pool.barrierWriteWithoutTransaction { db in
                try db.execute(sql: Migrations.createTable)
                let done = Set(try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations"))
                for migration in Migrations.all where !done.contains(migration.version) {
                    try db.inTransaction {
                        for statement in migration.statements { try db.execute(sql: Migrations.sql(statement, .sqlite)) }
                        try db.execute(
                            sql: "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                            arguments: [migration.version, migration.name])
                        return .commit
                    }
                }
            }
        } catch {
            throw StoreError.cannotOpen(location: path, reason: "\(error)")
        }
    }

    public var keys: any APIKeyRepository { self }
    public var models: any ModelVersionRepository { self }
    public var collections: any CollectionRepository { self }

    public func ping() async throws { _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") } }
    public func close() async throws { try pool.close() }

    /// The journal mode and synchronous level in force (for tests).
    public func pragmas() throws -> (journal: String, synchronous: Int) {
        try pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }

    // MARK: keys

    public func insert(_ key: APIKeyRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (id, name, scope, salt, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    key.id, key.name, key.scope.rawValue, key.salt, key.hash, key.createdAt.timeIntervalSince1970,
                    key.revokedAt?.timeIntervalSince1970,
                ])
        }
    }

    public func key(id: String) async throws -> APIKeyRecord? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ?", arguments: [id]).map(Self.key) }
    }

    public func allKeys() async throws -> [APIKeyRecord] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, id").map(Self.key) }
    }

    public func revoke(id: String, at date: Date) async throws -> Bool {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys WHERE id = ?", arguments: [id]) == 1 else { return false }
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [date.timeIntervalSince1970, id])
            return true
        }
    }

    static func key(_ row: Row) throws -> APIKeyRecord {
        guard let scope = APIKeyScope(rawValue: row["scope"]) else { throw StoreError.corruptRow(table: "api_keys", field: "scope") }
        return APIKeyRecord(
            id: row["id"], name: row["name"], scope: scope, salt: row["salt"], hash: row["hash"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    // MARK: models

    public func addVersion(name: String, kind: ModelKind, path: String, activate: Bool, at date: Date) async throws -> ModelVersionRecord {
        try await pool.write { db in
            let next = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM model_versions WHERE name = ?", arguments: [name]) ?? 0) + 1
            if activate { try db.execute(sql: "UPDATE model_versions SET active = 0 WHERE name = ?", arguments: [name]) }
            try db.execute(
                sql: "INSERT INTO model_versions (name, version, kind, path, active, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [name, next, kind.rawValue, path, activate ? 1 : 0, date.timeIntervalSince1970])
            return ModelVersionRecord(name: name, version: next, kind: kind, path: path, active: activate, createdAt: date)
        }
    }

    public func activate(name: String, version: Int) async throws -> Bool {
        try await pool.write { db in
            guard
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM model_versions WHERE name = ? AND version = ?",
                    arguments: [name, version]) == 1
            else { return false }
            try db.execute(
                sql: "UPDATE model_versions SET active = CASE WHEN version = ? THEN 1 ELSE 0 END WHERE name = ?",
                arguments: [version, name])
            return true
        }
    }

    public func allVersions() async throws -> [ModelVersionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM model_versions ORDER BY name, version").map { row in
                guard let kind = ModelKind(rawValue: row["kind"]) else {
                    throw StoreError.corruptRow(table: "model_versions", field: "kind")
                }
                return ModelVersionRecord(
                    name: row["name"], version: row["version"], kind: kind, path: row["path"],
                    active: (row["active"] as Int) != 0, createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }

    // MARK: collections

    static let bump = "UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 1"

    public func putCollection(_ collection: CollectionRecord) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM collection_entries WHERE collection = ?", arguments: [collection.name])
            try db.execute(sql: "DELETE FROM collections WHERE name = ?", arguments: [collection.name])
            try db.execute(
                sql: "INSERT INTO collections (name, model, created_at) VALUES (?, ?, ?)",
                arguments: [collection.name, collection.model, collection.createdAt.timeIntervalSince1970])
            try db.execute(sql: Self.bump)
        }
    }

    public func deleteCollection(name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM collection_entries WHERE collection = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM collections WHERE name = ?", arguments: [name])
            let changed = db.changesCount > 0
            if changed { try db.execute(sql: Self.bump) }
            return changed
        }
    }

    public func collection(name: String) async throws -> CollectionRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM collections WHERE name = ?", arguments: [name]).map(Self.collection)
        }
    }

    public func allCollections() async throws -> [CollectionRecord] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM collections ORDER BY name").map(Self.collection) }
    }

    static func collection(_ row: Row) -> CollectionRecord {
        CollectionRecord(name: row["name"], model: row["model"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func upsertEntries(_ entries: [CollectionEntryRecord], collection: String) async throws {
        try await pool.write { db in
            var next =
                (try Int64.fetchOne(
                    db, sql: "SELECT MAX(position) FROM collection_entries WHERE collection = ?",
                    arguments: [collection]) ?? 0) + 1
            for e in entries {
                try db.execute(
                    sql: """
                        INSERT INTO collection_entries (collection, id, position, text, vector) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (collection, id) DO UPDATE SET text = excluded.text, vector = excluded.vector
                        """,
                    arguments: [collection, e.id, next, e.text, VectorCoding.encode(e.vector)])
                next += 1
            }
            try db.execute(sql: Self.bump)
        }
    }

    public func deleteEntry(id: String, collection: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM collection_entries WHERE collection = ? AND id = ?", arguments: [collection, id])
            let changed = db.changesCount > 0
            if changed { try db.execute(sql: Self.bump) }
            return changed
        }
    }

    public func entries(collection: String) async throws -> [CollectionEntryRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, text, vector FROM collection_entries WHERE collection = ? ORDER BY position",
                arguments: [collection]
            ).map { row in
                guard let vector = VectorCoding.decode(row["vector"]) else {
                    throw StoreError.corruptRow(table: "collection_entries", field: "vector")
                }
                return CollectionEntryRecord(id: row["id"], text: row["text"], vector: vector)
            }
        }
    }

    public func changeStamp() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT stamp FROM change_stamp WHERE id = 1") ?? 0 }
    }
}
