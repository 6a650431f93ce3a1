import FinchApps
import Foundation
import Logging
import PostgresNIO

/// The store for several instances: PostgreSQL through postgres-nio, with
/// the same tables and migrations as SQLite. Every write is one transaction
/// and returns after its commit.
public final class PostgresStore: ServiceStore, APIKeyRepository, ModelVersionRepository, CollectionRepository {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger

    /// Connects to `url` and applies the migrations (under an advisory lock,
    /// so instances starting together migrate once).
    public init(url: String, logger: Logger = Logger(label: "finch.postgres")) async throws {
        let configuration = try PostgresURL.configuration(url)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
        do {
            try await Self.migrate(client, logger: logger)
        } catch {
            runner.cancel()
            throw StoreError.cannotOpen(location: PostgresURL.redacted(url), reason: String(reflecting: error))
        }
    }

    /// Applies the migrations `client`'s database lacks, under an advisory lock, so instances
    /// (and `finch` commands recording runs) starting together migrate once.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { db in
            try await db.query("SELECT pg_advisory_xact_lock(7265413)", logger: logger)
            try await db.query(PostgresQuery(unsafeSQL: Migrations.createTable), logger: logger)
            var done = Set<Int>()
            for try await version in try await db.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
                done.insert(version)
            }
            for migration in Migrations.all where !done.contains(migration.version) {
                for statement in migration.statements {
                    try await db.query(PostgresQuery(unsafeSQL: Migrations.sql(statement, .postgres)), logger: logger)
                }
                try await db.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
            }
        }
    }

    public var keys: any APIKeyRepository { self }
    public var models: any ModelVersionRepository { self }
    public var collections: any CollectionRepository { self }

    public func ping() async throws { try await client.query("SELECT 1", logger: logger) }
    public func close() async throws { runner.cancel() }

    // MARK: keys

    public func insert(_ key: APIKeyRecord) async throws {
        try await client.query(
            """
            INSERT INTO api_keys (id, name, scope, salt, hash, created_at, revoked_at)
            VALUES (\(key.id), \(key.name), \(key.scope.rawValue), \(key.salt), \(key.hash),
                    \(key.createdAt.timeIntervalSince1970), \(key.revokedAt?.timeIntervalSince1970))
            """, logger: logger)
    }

    typealias KeyRow = (String, String, String, String, String, Double, Double?)

    static func key(_ r: KeyRow) throws -> APIKeyRecord {
        guard let scope = APIKeyScope(rawValue: r.2) else { throw StoreError.corruptRow(table: "api_keys", field: "scope") }
        return APIKeyRecord(
            id: r.0, name: r.1, scope: scope, salt: r.3, hash: r.4, createdAt: Date(timeIntervalSince1970: r.5),
            revokedAt: r.6.map(Date.init(timeIntervalSince1970:)))
    }

    public func key(id: String) async throws -> APIKeyRecord? {
        let rows = try await client.query(
            "SELECT id, name, scope, salt, hash, created_at, revoked_at FROM api_keys WHERE id = \(id)", logger: logger)
        for try await row in rows.decode(KeyRow.self) { return try Self.key(row) }
        return nil
    }

    public func allKeys() async throws -> [APIKeyRecord] {
        let rows = try await client.query(
            "SELECT id, name, scope, salt, hash, created_at, revoked_at FROM api_keys ORDER BY created_at, id", logger: logger)
        var out: [APIKeyRecord] = []
        for try await row in rows.decode(KeyRow.self) { out.append(try Self.key(row)) }
        return out
    }

    public func revoke(id: String, at date: Date) async throws -> Bool {
        let rows = try await client.query(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, \(date.timeIntervalSince1970)) WHERE id = \(id) RETURNING id",
            logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    // MARK: models

    public func addVersion(name: String, kind: ModelKind, path: String, activate: Bool, at date: Date) async throws -> ModelVersionRecord {
        let logger = logger
        return try await client.withTransaction(logger: logger) { db in
            try await db.query("SELECT pg_advisory_xact_lock(7265414)", logger: logger)
            var next = 1
            for try await m in try await db.query(
                "SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE name = \(name)",
                logger: logger
            ).decode(Int.self) {
                next = m + 1
            }
            if activate { try await db.query("UPDATE model_versions SET active = 0 WHERE name = \(name)", logger: logger) }
            try await db.query(
                """
                INSERT INTO model_versions (name, version, kind, path, active, created_at)
                VALUES (\(name), \(next), \(kind.rawValue), \(path), \(activate ? 1 : 0), \(date.timeIntervalSince1970))
                """, logger: logger)
            return ModelVersionRecord(name: name, version: next, kind: kind, path: path, active: activate, createdAt: date)
        }
    }

    public func activate(name: String, version: Int) async throws -> Bool {
        let logger = logger
        return try await client.withTransaction(logger: logger) { db in
            var found = false
            for try await _ in try await db.query(
                "SELECT version FROM model_versions WHERE name = \(name) AND version = \(version)",
                logger: logger
            ).decode(Int.self) {
                found = true
            }
            guard found else { return false }
            try await db.query(
                "UPDATE model_versions SET active = CASE WHEN version = \(version) THEN 1 ELSE 0 END WHERE name = \(name)",
                logger: logger)
            return true
        }
    }

    public func allVersions() async throws -> [ModelVersionRecord] {
        let rows = try await client.query(
            "SELECT name, version, kind, path, active, created_at FROM model_versions ORDER BY name, version", logger: logger)
        var out: [ModelVersionRecord] = []
        for try await r in rows.decode((String, Int, String, String, Int, Double).self) {
            guard let kind = ModelKind(rawValue: r.2) else { throw StoreError.corruptRow(table: "model_versions", field: "kind") }
            out.append(
                ModelVersionRecord(
                    name: r.0, version: r.1, kind: kind, path: r.3, active: r.4 != 0,
                    createdAt: Date(timeIntervalSince1970: r.5)))
        }
        return out
    }

    // MARK: collections

    public func putCollection(_ collection: CollectionRecord) async throws {
        let logger = logger
        try await client.withTransaction(logger: logger) { db in
            try await db.query("DELETE FROM collection_entries WHERE collection = \(collection.name)", logger: logger)
            try await db.query("DELETE FROM collections WHERE name = \(collection.name)", logger: logger)
            try await db.query(
                """
                INSERT INTO collections (name, model, created_at)
                VALUES (\(collection.name), \(collection.model), \(collection.createdAt.timeIntervalSince1970))
                """, logger: logger)
            try await db.query("UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 1", logger: logger)
        }
    }

    public func deleteCollection(name: String) async throws -> Bool {
        let logger = logger
        return try await client.withTransaction(logger: logger) { db in
            try await db.query("DELETE FROM collection_entries WHERE collection = \(name)", logger: logger)
            var deleted = false
            for try await _ in try await db.query("DELETE FROM collections WHERE name = \(name) RETURNING name", logger: logger)
                .decode(String.self)
            {
                deleted = true
            }
            if deleted { try await db.query("UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 1", logger: logger) }
            return deleted
        }
    }

    public func collection(name: String) async throws -> CollectionRecord? {
        let rows = try await client.query("SELECT name, model, created_at FROM collections WHERE name = \(name)", logger: logger)
        for try await r in rows.decode((String, String, Double).self) {
            return CollectionRecord(name: r.0, model: r.1, createdAt: Date(timeIntervalSince1970: r.2))
        }
        return nil
    }

    public func allCollections() async throws -> [CollectionRecord] {
        let rows = try await client.query("SELECT name, model, created_at FROM collections ORDER BY name", logger: logger)
        var out: [CollectionRecord] = []
        for try await r in rows.decode((String, String, Double).self) {
            out.append(CollectionRecord(name: r.0, model: r.1, createdAt: Date(timeIntervalSince1970: r.2)))
        }
        return out
    }

    public func upsertEntries(_ entries: [CollectionEntryRecord], collection: String) async throws {
        let logger = logger
        try await client.withTransaction(logger: logger) { db in
            var next: Int64 = 1
            for try await m in try await db.query(
                "SELECT COALESCE(MAX(position), 0) FROM collection_entries WHERE collection = \(collection)", logger: logger
            ).decode(Int64.self) {
                next = m + 1
            }
            for e in entries {
                try await db.query(
                    """
                    INSERT INTO collection_entries (collection, id, position, text, vector)
                    VALUES (\(collection), \(e.id), \(next), \(e.text), \(VectorCoding.encode(e.vector)))
                    ON CONFLICT (collection, id) DO UPDATE SET text = EXCLUDED.text, vector = EXCLUDED.vector
                    """, logger: logger)
                next += 1
            }
            try await db.query("UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 1", logger: logger)
        }
    }

    public func deleteEntry(id: String, collection: String) async throws -> Bool {
        let logger = logger
        return try await client.withTransaction(logger: logger) { db in
            var deleted = false
            for try await _ in try await db.query(
                "DELETE FROM collection_entries WHERE collection = \(collection) AND id = \(id) RETURNING id", logger: logger
            ).decode(String.self) {
                deleted = true
            }
            if deleted { try await db.query("UPDATE change_stamp SET stamp = stamp + 1 WHERE id = 1", logger: logger) }
            return deleted
        }
    }

    public func entries(collection: String) async throws -> [CollectionEntryRecord] {
        let rows = try await client.query(
            "SELECT id, text, vector FROM collection_entries WHERE collection = \(collection) ORDER BY position", logger: logger)
        var out: [CollectionEntryRecord] = []
        for try await r in rows.decode((String, String, Data).self) {
            guard let vector = VectorCoding.decode(r.2) else { throw StoreError.corruptRow(table: "collection_entries", field: "vector") }
            out.append(CollectionEntryRecord(id: r.0, text: r.1, vector: vector))
        }
        return out
    }

    public func changeStamp() async throws -> Int64 {
        let rows = try await client.query("SELECT stamp FROM change_stamp WHERE id = 1", logger: logger)
        for try await s in rows.decode(Int64.self) { return s }
        return 0
    }
}
