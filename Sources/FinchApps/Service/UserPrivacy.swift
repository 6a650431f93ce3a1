import Foundation

/// What one end user (a person the service holds data about, not an API key)
/// has agreed to.
public struct UserConsent: Codable, Sendable, Equatable {
    /// Recommendations and answers may use their history.
    public var personalization: Bool
    /// Their texts (questions, feedback inputs) may be kept and used for retraining.
    public var storeTextsForTraining: Bool

    public init(personalization: Bool, storeTextsForTraining: Bool) {
        self.personalization = personalization
        self.storeTextsForTraining = storeTextsForTraining
    }
}

/// Where features look up a user's consent before they personalize or keep a text.
public protocol ConsentLookup: Sendable {
    /// The user's consent; the deployment's default for users who never set it.
    func consent(user: String) async throws -> UserConsent
}

/// One kind of stored data about end users (events, feedback, assistant
/// sessions, profiles, …). Erasure (`DELETE /v1/users/{id}`) calls every
/// registered eraser, so a feature that stores user data registers one.
public protocol UserDataEraser: Sendable {
    /// Short name of the data, for the erasure report ("events", "feedback").
    var dataName: String { get }
    /// Removes everything of this kind stored about `user` (and drops it from
    /// in-memory serving state); returns how many records went.
    func eraseUser(_ user: String) async throws -> Int
}

/// The append-only, hash-chained record of admin actions (keys
/// created/revoked, models registered/activated, retrains, erasures, rule
/// changes). `actor` is the API key id (or "cli"/"system").
public protocol AdminAuditTrail: Sendable {
    func record(actor: String, action: String, subject: String, details: [String: String]) async throws
}
