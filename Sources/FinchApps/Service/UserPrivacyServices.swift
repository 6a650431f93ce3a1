import Foundation

/// The store-backed privacy seams the composition root builds once and hands
/// to every feature: consent lookups, the admin audit trail, erasure
/// tombstones and the id hasher behind them.
public struct UserPrivacyServices: Sendable {
    /// The privacy tables.
    public let repository: any PrivacyRepository
    /// Consent with the deployment's default.
    public let consent: StoreConsentLookup
    /// The admin audit trail.
    public let audit: StoreAuditTrail
    /// Who was erased.
    public let tombstones: StoreErasureTombstones
    /// Keyed hashes of user ids.
    public let hasher: UserIDHasher

    /// `defaultConsent`: the `default_consent` setting; `erasureKey`: the key of the id hashes.
    public init(
        repository: any PrivacyRepository, defaultConsent: Bool, erasureKey: [UInt8], clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.repository = repository
        hasher = UserIDHasher(key: erasureKey)
        consent = StoreConsentLookup(repository: repository, grantedByDefault: defaultConsent)
        audit = StoreAuditTrail(repository: repository, clock: clock)
        tombstones = StoreErasureTombstones(repository: repository, hasher: hasher)
    }

    /// The erasure of one user across `erasers` (every feature's) and the privacy tables.
    public func erasure(erasers: UserDataErasers) -> UserErasure {
        UserErasure(repository: repository, erasers: erasers, hasher: hasher, audit: audit, clock: audit.clock)
    }
}
