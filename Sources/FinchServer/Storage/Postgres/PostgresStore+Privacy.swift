import FinchApps
import Foundation
import Logging
import PostgresNIO

/// The privacy tables (migration 4) in PostgreSQL.
extension PostgresStore: PrivacyRepository {
    public var privacy: any PrivacyRepository { self }

    /// The advisory lock that serializes appends to the audit trail across instances.
    static let auditLock = 7_265_415

    public func appendAuditEntry(actor: String, action: String, subject: String, details: [String: String], time: String) async throws
        -> AuditLogEntry
    {
        let detailsJSON = try AuditDetailsCoding.encode(details)
        let logger = logger
        // The transaction-scoped advisory lock makes read-head-then-insert atomic
        // across instances; the primary key on `sequence` is the backstop.
        return try await client.withTransaction(logger: logger) { db in
            try await db.query("SELECT pg_advisory_xact_lock(\(Self.auditLock))", logger: logger)
            var sequence = 1
            var previous = AuditLogEntry.genesisHash
            for try await (s, h) in try await db.query(
                "SELECT sequence, hash FROM audit_trail ORDER BY sequence DESC LIMIT 1", logger: logger
            ).decode((Int, String).self) {
                sequence = s + 1
                previous = h
            }
            let entry = AuditLogEntry(
                sequence: sequence, time: time, actor: actor, action: action, subject: subject, details: details, previousHash: previous)
            try await db.query(
                """
                INSERT INTO audit_trail (sequence, recorded_at, actor, action, subject, details, previous_hash, hash)
                VALUES (\(sequence), \(time), \(actor), \(action), \(subject), \(detailsJSON), \(previous), \(entry.hash))
                """, logger: logger)
            return entry
        }
    }

    public func auditEntries(after: Int, limit: Int) async throws -> [AuditLogEntry] {
        let rows = try await client.query(
            """
            SELECT sequence, recorded_at, actor, action, subject, details, previous_hash, hash FROM audit_trail
            WHERE sequence > \(after) ORDER BY sequence LIMIT \(max(0, limit))
            """, logger: logger)
        var out: [AuditLogEntry] = []
        for try await r in rows.decode((Int, String, String, String, String, String, String, String).self) {
            out.append(
                AuditLogEntry.stored(
                    sequence: r.0, time: r.1, actor: r.2, action: r.3, subject: r.4, details: try AuditDetailsCoding.decode(r.5),
                    previousHash: r.6, hash: r.7))
        }
        return out
    }

    public func storedConsent(user: String) async throws -> UserConsent? {
        let rows = try await client.query(
            "SELECT personalization, store_texts_for_training FROM user_consent WHERE user_id = \(user)", logger: logger)
        for try await (p, s) in rows.decode((Int, Int).self) { return UserConsent(personalization: p != 0, storeTextsForTraining: s != 0) }
        return nil
    }

    public func setConsent(_ consent: UserConsent, user: String, at date: Date) async throws {
        try await client.query(
            """
            INSERT INTO user_consent (user_id, personalization, store_texts_for_training, updated_at)
            VALUES (\(user), \(consent.personalization ? 1 : 0), \(consent.storeTextsForTraining ? 1 : 0), \(date.timeIntervalSince1970))
            ON CONFLICT (user_id) DO UPDATE SET personalization = EXCLUDED.personalization,
              store_texts_for_training = EXCLUDED.store_texts_for_training, updated_at = EXCLUDED.updated_at
            """, logger: logger)
    }

    public func deleteConsent(user: String) async throws -> Int {
        var count = 0
        for try await _ in try await client.query(
            "DELETE FROM user_consent WHERE user_id = \(user) RETURNING user_id", logger: logger
        ).decode(String.self) {
            count += 1
        }
        return count
    }

    public func addTombstone(userHash: String, at date: Date) async throws {
        try await client.query(
            """
            INSERT INTO erasure_tombstones (user_hash, erased_at) VALUES (\(userHash), \(date.timeIntervalSince1970))
            ON CONFLICT (user_hash) DO NOTHING
            """, logger: logger)
    }

    public func tombstoneHashes() async throws -> Set<String> {
        var out = Set<String>()
        for try await h in try await client.query("SELECT user_hash FROM erasure_tombstones", logger: logger).decode(String.self) {
            out.insert(h)
        }
        return out
    }

    public func sharedSecret(name: String, proposed: String) async throws -> String {
        try await client.query(
            "INSERT INTO privacy_secrets (name, value) VALUES (\(name), \(proposed)) ON CONFLICT (name) DO NOTHING", logger: logger)
        for try await value in try await client.query("SELECT value FROM privacy_secrets WHERE name = \(name)", logger: logger)
            .decode(String.self)
        {
            return value
        }
        throw StoreError.corruptRow(table: "privacy_secrets", field: "value")
    }

    /// Where `needle` occurs: `table.column` for every text-like column (text,
    /// varchar, char, json, jsonb) of every table in the current schema that
    /// holds it in any row. For checking that a value was redacted or erased everywhere.
    public func columns(containing needle: String) async throws -> [String] {
        var columns: [(String, String)] = []
        for try await (table, column) in try await client.query(
            """
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
            ORDER BY table_name, column_name
            """, logger: logger
        ).decode((String, String).self) {
            columns.append((table, column))
        }
        var found: [String] = []
        for (table, column) in columns {
            var binds = PostgresBindings()
            binds.append(needle)
            let sql = "SELECT COUNT(*) FROM \(Self.quoted(table)) WHERE strpos(\(Self.quoted(column))::text, $1) > 0"
            for try await n in try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).decode(Int.self)
            where n > 0 {
                found.append("\(table).\(column)")
            }
        }
        return found
    }

    /// An SQL identifier in double quotes.
    static func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Nothing to do per erasure: deleted rows are invisible at once and their
    /// space is reclaimed by autovacuum; SQL cannot read them back.
    public func purgeDeletedData() async throws {}
}
