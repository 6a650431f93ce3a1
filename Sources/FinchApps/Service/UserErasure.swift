import Foundation

/// What one erasure removed.
public struct ErasureReport: Sendable, Equatable {
    /// The keyed hash recorded as the tombstone (and as the audit entry's subject).
    public var userHash: String
    /// Records removed per kind of data (`consent`, and each registered eraser's `dataName`).
    public var removed: [String: Int]
}

/// Erases one end user (`DELETE /v1/users/{id}`): records the tombstone,
/// calls every registered `UserDataEraser`, removes the consent row, records
/// `user.erase` in the audit trail (under the id's keyed hash, never the id),
/// and finally purges the deleted rows from the database files.
///
/// The tombstone is written first, so a retrain running meanwhile already
/// skips the user, and a failed erasure can simply be repeated (every step is
/// idempotent).
public struct UserErasure: Sendable {
    let repository: any PrivacyRepository
    let erasers: UserDataErasers
    let hasher: UserIDHasher
    let audit: any AdminAuditTrail
    let clock: @Sendable () -> Date

    /// `erasers`: one per feature that stores data about users.
    public init(
        repository: any PrivacyRepository, erasers: UserDataErasers, hasher: UserIDHasher, audit: any AdminAuditTrail,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.repository = repository
        self.erasers = erasers
        self.hasher = hasher
        self.audit = audit
        self.clock = clock
    }

    /// Erases `user`; `actor` is who asked (an API key id, `cli`).
    public func erase(user: String, actor: String) async throws -> ErasureReport {
        let userHash = hasher.hash(user)
        try await repository.addTombstone(userHash: userHash, at: clock())
        var removed: [String: Int] = [:]
        for eraser in erasers.all {
            removed[eraser.dataName, default: 0] += try await eraser.eraseUser(user)
        }
        removed["consent", default: 0] += try await repository.deleteConsent(user: user)
        var details: [String: String] = [:]
        for (kind, count) in removed { details["removed." + kind] = String(count) }
        try await audit.record(actor: actor, action: AdminAction.userErase, subject: userHash, details: details)
        try await repository.purgeDeletedData()
        return ErasureReport(userHash: userHash, removed: removed)
    }
}
