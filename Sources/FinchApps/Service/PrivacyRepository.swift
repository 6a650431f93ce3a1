import Foundation

/// The store's privacy tables (migration 4): the admin audit trail, users'
/// consent and erasure tombstones. SQLite, PostgreSQL and the in-memory store
/// implement it; features reach it through `StoreAuditTrail`,
/// `StoreConsentLookup`, `StoreErasureTombstones` and `UserErasure`.
public protocol PrivacyRepository: Sendable {
    /// Appends the next entry of the hash-chained trail and returns it. The
    /// head is read and the entry written in one locked transaction, so
    /// several instances appending at once still form a single chain.
    func appendAuditEntry(actor: String, action: String, subject: String, details: [String: String], time: String) async throws
        -> AuditLogEntry
    /// Entries with a sequence above `after`, oldest first, at most `limit`.
    func auditEntries(after: Int, limit: Int) async throws -> [AuditLogEntry]

    /// The consent the user stored, nil when they never set it.
    func storedConsent(user: String) async throws -> UserConsent?
    /// Stores (or replaces) the user's consent; durable when it returns.
    func setConsent(_ consent: UserConsent, user: String, at date: Date) async throws
    /// Removes the user's consent row; how many rows went (0 or 1).
    func deleteConsent(user: String) async throws -> Int

    /// Records that the user whose keyed hash is `userHash` was erased (idempotent).
    func addTombstone(userHash: String, at date: Date) async throws
    /// Every tombstone's keyed hash.
    func tombstoneHashes() async throws -> Set<String>

    /// The secret stored under `name`; when there is none yet, stores `proposed` and returns it
    /// (the first instance to ask wins, so every instance on one database gets the same value).
    func sharedSecret(name: String, proposed: String) async throws -> String

    /// After an erasure: makes deleted rows unrecoverable from the database
    /// files where the engine allows it (SQLite: a truncating WAL checkpoint,
    /// with `secure_delete` on, so freed pages are zeroed and the log emptied).
    func purgeDeletedData() async throws
}

extension PrivacyRepository {
    /// Every entry, oldest first (read in pages of 1000).
    public func allAuditEntries() async throws -> [AuditLogEntry] {
        var out: [AuditLogEntry] = []
        while true {
            let page = try await auditEntries(after: out.last?.sequence ?? 0, limit: 1000)
            out += page
            if page.count < 1000 { return out }
        }
    }
}
