import Foundation
import Synchronization

/// A store that lives in memory: for tests of the application logic, and for
/// a throw-away service. Same contract as the database stores.
public final class InMemoryStore: ServiceStore, APIKeyRepository, ModelVersionRepository, CollectionRepository {
    struct State {
        var keys: [APIKeyRecord] = []
        var versions: [ModelVersionRecord] = []
        var collections: [String: CollectionRecord] = [:]
        var entries: [String: [CollectionEntryRecord]] = [:]
        var stamp: Int64 = 0
    }

    private let state = Mutex(State())
    private let assistantTables = InMemoryAssistantRepository()
    private let feedbackRepository = InMemoryFeedbackRepository()

    public init() {}

    public var keys: any APIKeyRepository { self }
    public var models: any ModelVersionRepository { self }
    public var collections: any CollectionRepository { self }
    public let recommendEvents: any RecommendEventRepository = InMemoryRecommendEvents()
    public let privacy: any PrivacyRepository = InMemoryPrivacyRepository()
    public var assistant: any AssistantRepository { assistantTables }
    public var feedback: any FeedbackRepository { feedbackRepository }
    public let monitors: any MonitorRepository = InMemoryMonitorRepository()
    public let webhooks: any WebhookRepository = InMemoryWebhookRepository()
    public func ping() async throws {}
    public func close() async throws {}

    public func insert(_ key: APIKeyRecord) async throws { state.withLock { $0.keys.append(key) } }
    public func key(id: String) async throws -> APIKeyRecord? { state.withLock { $0.keys.first { $0.id == id } } }
    public func allKeys() async throws -> [APIKeyRecord] { state.withLock { $0.keys } }
    public func revoke(id: String, at date: Date) async throws -> Bool {
        state.withLock { s in
            guard let i = s.keys.firstIndex(where: { $0.id == id }) else { return false }
            s.keys[i].revokedAt = s.keys[i].revokedAt ?? date
            return true
        }
    }

    public func addVersion(name: String, kind: ModelKind, path: String, activate: Bool, at date: Date) async throws -> ModelVersionRecord {
        state.withLock { s in
            let next = (s.versions.filter { $0.name == name }.map(\.version).max() ?? 0) + 1
            if activate { for i in s.versions.indices where s.versions[i].name == name { s.versions[i].active = false } }
            let record = ModelVersionRecord(name: name, version: next, kind: kind, path: path, active: activate, createdAt: date)
            s.versions.append(record)
            return record
        }
    }

    public func activate(name: String, version: Int) async throws -> Bool {
        state.withLock { s in
            guard s.versions.contains(where: { $0.name == name && $0.version == version }) else { return false }
            for i in s.versions.indices where s.versions[i].name == name { s.versions[i].active = s.versions[i].version == version }
            return true
        }
    }

    public func allVersions() async throws -> [ModelVersionRecord] {
        state.withLock { $0.versions.sorted { ($0.name, $0.version) < ($1.name, $1.version) } }
    }

    public func putCollection(_ collection: CollectionRecord) async throws {
        state.withLock { s in
            s.collections[collection.name] = collection
            s.entries[collection.name] = []
            s.stamp += 1
        }
    }

    public func deleteCollection(name: String) async throws -> Bool {
        state.withLock { s in
            guard s.collections.removeValue(forKey: name) != nil else { return false }
            s.entries[name] = nil
            s.stamp += 1
            return true
        }
    }

    public func collection(name: String) async throws -> CollectionRecord? { state.withLock { $0.collections[name] } }
    public func allCollections() async throws -> [CollectionRecord] {
        state.withLock { $0.collections.values.sorted { $0.name < $1.name } }
    }

    public func upsertEntries(_ entries: [CollectionEntryRecord], collection: String) async throws {
        state.withLock { s in
            var list = s.entries[collection] ?? []
            for e in entries {
                if let i = list.firstIndex(where: { $0.id == e.id }) { list[i] = e } else { list.append(e) }
            }
            s.entries[collection] = list
            s.stamp += 1
        }
    }

    public func deleteEntry(id: String, collection: String) async throws -> Bool {
        state.withLock { s in
            guard let i = s.entries[collection]?.firstIndex(where: { $0.id == id }) else { return false }
            s.entries[collection]!.remove(at: i)
            s.stamp += 1
            return true
        }
    }

    public func entries(collection: String) async throws -> [CollectionEntryRecord] { state.withLock { $0.entries[collection] ?? [] } }
    public func changeStamp() async throws -> Int64 { state.withLock { $0.stamp } }
}
