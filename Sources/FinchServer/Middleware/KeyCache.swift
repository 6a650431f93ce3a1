import FinchApps
import Foundation
import Synchronization

/// API keys read through from the store and kept for `ttl` seconds, so a
/// request costs no query while a key revoked by another instance stops
/// working within `ttl`. Keys not in the cache are always looked up (a key
/// created through another instance works at once).
final class KeyCache: Sendable {
    private let store: any APIKeyRepository
    private let ttl: Double
    private let cache = Mutex<[String: (record: APIKeyRecord, read: Double)]>([:])

    init(store: any APIKeyRepository, ttl: Double) {
        self.store = store
        self.ttl = ttl
    }

    func key(id: String) async throws -> APIKeyRecord? {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        if let hit = cache.withLock({ $0[id] }), now - hit.read < ttl { return hit.record }
        guard let record = try await store.key(id: id) else {
            _ = cache.withLock { $0.removeValue(forKey: id) }
            return nil
        }
        cache.withLock { $0[id] = (record, now) }
        return record
    }

    /// Forgets a key at once (after a revoke through this instance).
    func forget(id: String) { _ = cache.withLock { $0.removeValue(forKey: id) } }
}
