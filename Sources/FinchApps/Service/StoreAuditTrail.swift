import Foundation

/// The names of the admin actions the service records, so every feature
/// spells them alike (`area.verb`, as the file audit log's entries do).
public enum AdminAction {
    public static let keyCreate = "key.create"
    public static let keyRevoke = "key.revoke"
    public static let modelRegister = "model.register"
    public static let modelActivate = "model.activate"
    public static let userErase = "user.erase"
}

/// The admin audit trail kept in the store: each `record` appends one
/// hash-chained entry (the same canonical form and hash as `AuditLog`'s file
/// lines, so `AuditLogVerifier` checks both).
public struct StoreAuditTrail: AdminAuditTrail {
    let repository: any PrivacyRepository
    let clock: @Sendable () -> Date

    /// `clock` gives the entries' times (tests pin it).
    public init(repository: any PrivacyRepository, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.repository = repository
        self.clock = clock
    }

    public func record(actor: String, action: String, subject: String, details: [String: String]) async throws {
        _ = try await append(actor: actor, action: action, subject: subject, details: details)
    }

    /// Records an entry and returns it.
    public func append(actor: String, action: String, subject: String, details: [String: String] = [:]) async throws
        -> AuditLogEntry
    {
        try await repository.appendAuditEntry(
            actor: actor, action: action, subject: subject, details: details, time: AuditLogEntry.timestamp(clock()))
    }

    /// Entries after `after`, oldest first.
    public func entries(after: Int, limit: Int) async throws -> [AuditLogEntry] {
        try await repository.auditEntries(after: after, limit: limit)
    }

    /// Checks the whole stored chain.
    public func verify() async throws -> AuditLogVerification {
        AuditLogVerifier.verify(entries: try await repository.allAuditEntries())
    }
}
