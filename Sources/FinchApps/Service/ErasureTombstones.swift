import Foundation

/// Who was erased (`DELETE /v1/users/{id}`), for code that rebuilds data
/// about users — a retrain, an import — so an erased user is not brought back
/// from an export, a backup or an old event file. Only a keyed hash of each id
/// is stored, so the list does not itself name the people it protects.
public protocol ErasureTombstones: Sendable {
    /// Whether `user` was erased.
    func isErased(user: String) async throws -> Bool
    /// The ids among `users` that were erased (one read of the store).
    func erasedUsers(among users: some Sequence<String>) async throws -> Set<String>
}

/// The keyed hash that stands for a user id wherever the id itself must not
/// be kept (tombstones, the audit trail's record of an erasure):
/// HMAC-SHA256 under the deployment's erasure key, lower-case hex.
public struct UserIDHasher: Sendable {
    private let hasher: HMACKeyedHasher

    /// A hasher with `key` (at least 16 bytes; the service uses 32 random bytes).
    public init(key: [UInt8]) { hasher = HMACKeyedHasher(key: key) }

    /// The id's keyed hash (64 hex characters).
    public func hash(_ user: String) -> String { hasher.token(for: user) }
}

/// Tombstones read from the store.
public struct StoreErasureTombstones: ErasureTombstones {
    let repository: any PrivacyRepository
    let hasher: UserIDHasher

    public init(repository: any PrivacyRepository, hasher: UserIDHasher) {
        self.repository = repository
        self.hasher = hasher
    }

    public func isErased(user: String) async throws -> Bool {
        try await repository.tombstoneHashes().contains(hasher.hash(user))
    }

    public func erasedUsers(among users: some Sequence<String>) async throws -> Set<String> {
        let hashes = try await repository.tombstoneHashes()
        return Set(users.filter { hashes.contains(hasher.hash($0)) })
    }
}
