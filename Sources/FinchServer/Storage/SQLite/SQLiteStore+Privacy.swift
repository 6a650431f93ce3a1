import FinchApps
import Foundation
import GRDB

/// The privacy tables (migration 4) in SQLite.
extension SQLiteStore: PrivacyRepository {
    public var privacy: any PrivacyRepository { self }

    public func appendAuditEntry(actor: String, action: String, subject: String, details: [String: String], time: String) async throws
        -> AuditLogEntry
    {
        let detailsJSON = try AuditDetailsCoding.encode(details)
        // BEGIN IMMEDIATE takes the write lock before the head is read, so another
        // process appending at the same moment waits (busy timeout) instead of
        // forking the chain; the primary key on `sequence` is the backstop.
        return try await pool.writeWithoutTransaction { db in
            var entry: AuditLogEntry!
            try db.inTransaction(.immediate) {
                let head = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_trail ORDER BY sequence DESC LIMIT 1")
                let sequence: Int = head.map { ($0["sequence"] as Int) + 1 } ?? 1
                let previous: String = head?["hash"] ?? AuditLogEntry.genesisHash
                entry = AuditLogEntry(
                    sequence: sequence, time: time, actor: actor, action: action, subject: subject, details: details,
                    previousHash: previous)
                try db.execute(
                    sql: """
                        INSERT INTO audit_trail (sequence, recorded_at, actor, action, subject, details, previous_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [sequence, time, actor, action, subject, detailsJSON, previous, entry.hash])
                return .commit
            }
            return entry
        }
    }

    public func auditEntries(after: Int, limit: Int) async throws -> [AuditLogEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_trail WHERE sequence > ? ORDER BY sequence LIMIT ?", arguments: [after, max(0, limit)]
            ).map { row in
                AuditLogEntry.stored(
                    sequence: row["sequence"], time: row["recorded_at"], actor: row["actor"], action: row["action"],
                    subject: row["subject"], details: try AuditDetailsCoding.decode(row["details"]), previousHash: row["previous_hash"],
                    hash: row["hash"])
            }
        }
    }

    public func storedConsent(user: String) async throws -> UserConsent? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user_consent WHERE user_id = ?", arguments: [user]).map { row in
                UserConsent(
                    personalization: (row["personalization"] as Int) != 0,
                    storeTextsForTraining: (row["store_texts_for_training"] as Int) != 0)
            }
        }
    }

    public func setConsent(_ consent: UserConsent, user: String, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO user_consent (user_id, personalization, store_texts_for_training, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET personalization = excluded.personalization,
                      store_texts_for_training = excluded.store_texts_for_training, updated_at = excluded.updated_at
                    """,
                arguments: [user, consent.personalization ? 1 : 0, consent.storeTextsForTraining ? 1 : 0, date.timeIntervalSince1970])
        }
    }

    public func deleteConsent(user: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM user_consent WHERE user_id = ?", arguments: [user])
            return db.changesCount
        }
    }

    public func addTombstone(userHash: String, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO erasure_tombstones (user_hash, erased_at) VALUES (?, ?) ON CONFLICT (user_hash) DO NOTHING",
                arguments: [userHash, date.timeIntervalSince1970])
        }
    }

    public func tombstoneHashes() async throws -> Set<String> {
        try await pool.read { db in Set(try String.fetchAll(db, sql: "SELECT user_hash FROM erasure_tombstones")) }
    }

    public func sharedSecret(name: String, proposed: String) async throws -> String {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO privacy_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", arguments: [name, proposed])
            return try String.fetchOne(db, sql: "SELECT value FROM privacy_secrets WHERE name = ?", arguments: [name]) ?? proposed
        }
    }

    /// Copies the write-ahead log into the database and truncates it to zero
    /// bytes, so deleted rows (zeroed in the database by `secure_delete`) are
    /// not left behind in old log frames. Best effort while other connections
    /// read: SQLite then checkpoints what it can.
    public func purgeDeletedData() async throws {
        try await pool.writeWithoutTransaction { db in
            _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}

/// The `details` column: the map as JSON with sorted keys.
enum AuditDetailsCoding {
    static func encode(_ details: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [String: String] {
        do { return try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) } catch {
            throw StoreError.corruptRow(table: "audit_trail", field: "details")
        }
    }
}
