import FinchApps
import FinchServer
import Foundation
import Testing

/// Searches a store's raw contents for strings that must not be there (raw
/// personal data after redaction, an erased user's values), for the
/// store-grep tests of every feature that stores user texts:
///
/// ```swift
/// let hits = try await StoreGrep.find(["ann@example.com", "+44 20 7946 0958"], in: store)
/// #expect(hits.isEmpty, "\(hits)")
/// ```
///
/// - SQLite: the bytes of the database file and its write-ahead log, read
///   before and after a truncating checkpoint (so frames not yet copied
///   into the database are searched too, then the checkpointed file).
/// - PostgreSQL: every text-like column of every table, through SQL
///   (`PostgresStore.columns(containing:)`).
/// - In-memory stores have no file; use SQLite or PostgreSQL.
enum StoreGrep {
    /// Every needle found, with where (`finch.sqlite`, `finch.sqlite-wal`, `table.column`); empty when none is.
    static func find(_ needles: [String], in store: any ServiceStore) async throws -> [String: [String]] {
        if let sqlite = store as? SQLiteStore { return try await find(needles, inSQLite: sqlite) }
        if let postgres = store as? PostgresStore { return try await find(needles, inPostgres: postgres) }
        Issue.record("StoreGrep searches SQLite and PostgreSQL stores, not \(type(of: store))")
        return [:]
    }

    static func find(_ needles: [String], inSQLite store: SQLiteStore) async throws -> [String: [String]] {
        var hits: [String: [String]] = [:]
        func scan(_ path: String, label: String) throws {
            guard FileManager.default.fileExists(atPath: path) else { return }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for needle in needles where bytes.range(of: Data(needle.utf8)) != nil {
                if !(hits[needle] ?? []).contains(label) { hits[needle, default: []].append(label) }
            }
        }
        let name = URL(fileURLWithPath: store.path).lastPathComponent
        try scan(store.path + "-wal", label: name + "-wal")
        try scan(store.path, label: name)
        try await store.privacy.purgeDeletedData()  // wal_checkpoint(TRUNCATE)
        try scan(store.path + "-wal", label: name + "-wal")
        try scan(store.path, label: name)
        return hits
    }

    static func find(_ needles: [String], inPostgres store: PostgresStore) async throws -> [String: [String]] {
        var hits: [String: [String]] = [:]
        for needle in needles {
            let columns = try await store.columns(containing: needle)
            if !columns.isEmpty { hits[needle] = columns }
        }
        return hits
    }

    /// The PostgreSQL of `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away server and sets it).
    static func postgresURL() throws -> String {
        try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
            "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
    }
}
