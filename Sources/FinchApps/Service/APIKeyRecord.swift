import Foundation

/// An API key as stored: its public id, name, scope and a salted hash of its
/// secret. The secret itself is never stored.
public struct APIKeyRecord: Codable, Sendable, Equatable {
    /// The public part of the key (`finch_<id>_<secret>`), safe to log.
    public var id: String
    public var name: String
    public var scope: APIKeyScope
    /// Random bytes mixed into the hash, hex.
    public var salt: String
    /// SHA-256 of salt and secret, hex.
    public var hash: String
    public var createdAt: Date
    /// Set when the key was revoked; a revoked key authenticates nothing.
    public var revokedAt: Date?

    public init(id: String, name: String, scope: APIKeyScope, salt: String, hash: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.scope = scope
        self.salt = salt
        self.hash = hash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
