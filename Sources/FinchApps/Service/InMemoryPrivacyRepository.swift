import Foundation
import Synchronization

/// The privacy tables in memory (the `InMemoryStore`'s, and tests').
public final class InMemoryPrivacyRepository: PrivacyRepository {
    struct State {
        var audit: [AuditLogEntry] = []
        var consent: [String: UserConsent] = [:]
        var tombstones: Set<String> = []
        var secrets: [String: String] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func appendAuditEntry(actor: String, action: String, subject: String, details: [String: String], time: String) async throws
        -> AuditLogEntry
    {
        state.withLock { s in
            let entry = AuditLogEntry(
                sequence: (s.audit.last?.sequence ?? 0) + 1, time: time, actor: actor, action: action, subject: subject,
                details: details, previousHash: s.audit.last?.hash ?? AuditLogEntry.genesisHash)
            s.audit.append(entry)
            return entry
        }
    }

    public func auditEntries(after: Int, limit: Int) async throws -> [AuditLogEntry] {
        state.withLock { Array($0.audit.filter { $0.sequence > after }.prefix(max(0, limit))) }
    }

    public func storedConsent(user: String) async throws -> UserConsent? { state.withLock { $0.consent[user] } }

    public func setConsent(_ consent: UserConsent, user: String, at date: Date) async throws {
        state.withLock { $0.consent[user] = consent }
    }

    public func deleteConsent(user: String) async throws -> Int {
        state.withLock { $0.consent.removeValue(forKey: user) == nil ? 0 : 1 }
    }

    public func addTombstone(userHash: String, at date: Date) async throws { _ = state.withLock { $0.tombstones.insert(userHash) } }

    public func tombstoneHashes() async throws -> Set<String> { state.withLock { $0.tombstones } }

    public func sharedSecret(name: String, proposed: String) async throws -> String {
        state.withLock { s in
            if let value = s.secrets[name] { return value }
            s.secrets[name] = proposed
            return proposed
        }
    }

    public func purgeDeletedData() async throws {}
}
