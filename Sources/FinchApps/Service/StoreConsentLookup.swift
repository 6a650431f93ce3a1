import Foundation

/// Consent kept in the store, with the deployment's default (`default_consent`)
/// for users who never set theirs.
///
/// The default is one switch for both flags: personalization and keeping
/// texts for training are granted or withheld together until the user says
/// otherwise, so a deployment cannot personalize by default while silently
/// keeping texts under a different rule.
public struct StoreConsentLookup: ConsentLookup {
    let repository: any PrivacyRepository
    /// What a user who never set consent has.
    public let defaultConsent: UserConsent

    /// `grantedByDefault`: the `default_consent` setting.
    public init(repository: any PrivacyRepository, grantedByDefault: Bool) {
        self.repository = repository
        defaultConsent = UserConsent(personalization: grantedByDefault, storeTextsForTraining: grantedByDefault)
    }

    public func consent(user: String) async throws -> UserConsent {
        try await repository.storedConsent(user: user) ?? defaultConsent
    }

    /// The user's consent and whether it is their own choice (false: the default).
    public func consentWithSource(user: String) async throws -> (consent: UserConsent, stored: Bool) {
        if let stored = try await repository.storedConsent(user: user) { return (stored, true) }
        return (defaultConsent, false)
    }

    /// Stores the user's choice.
    public func set(_ consent: UserConsent, user: String, at date: Date = Date()) async throws {
        try await repository.setConsent(consent, user: user, at: date)
    }
}
