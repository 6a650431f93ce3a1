import Foundation
import Synchronization

/// The assistant's tables kept in memory (`InMemoryStore.assistant`): same
/// contract as the database stores.
public final class InMemoryAssistantRepository: AssistantRepository {
    struct State {
        var collections: [String: AssistantCollectionRecord] = [:]
        var entries: [String: [AssistantEntryRecord]] = [:]
        var asks: [AssistantAskRecord] = []
        var stamp: Int64 = 0
    }

    private let state = Mutex(State())

    /// An empty repository.
    public init() {}

    public func putAssistantCollection(_ record: AssistantCollectionRecord, entries: [AssistantEntryRecord]) async throws {
        state.withLock { s in
            s.collections[record.name] = record
            s.entries[record.name] = entries
            s.stamp += 1
        }
    }

    public func changeAssistantEntries(_ record: AssistantCollectionRecord, upserting: [AssistantEntryRecord], deleting: [String])
        async throws -> Bool
    {
        state.withLock { s in
            guard s.collections[record.name] != nil, var list = s.entries[record.name] else { return false }
            for e in upserting {
                if let i = list.firstIndex(where: { $0.entry.id == e.entry.id }) { list[i] = e } else { list.append(e) }
            }
            list.removeAll { deleting.contains($0.entry.id) }
            s.entries[record.name] = list
            s.collections[record.name] = record
            s.stamp += 1
            return true
        }
    }

    public func updateAssistantCollection(_ record: AssistantCollectionRecord) async throws -> Bool {
        state.withLock { s in
            guard s.collections[record.name] != nil else { return false }
            s.collections[record.name] = record
            s.stamp += 1
            return true
        }
    }

    public func deleteAssistantCollection(name: String) async throws -> Bool {
        state.withLock { s in
            guard s.collections.removeValue(forKey: name) != nil else { return false }
            s.entries[name] = nil
            s.asks.removeAll { $0.collection == name }
            s.stamp += 1
            return true
        }
    }

    public func assistantCollections() async throws -> [AssistantCollectionRecord] {
        state.withLock { $0.collections.values.sorted { $0.name < $1.name } }
    }

    public func assistantEntries(collection: String) async throws -> [AssistantEntryRecord] {
        state.withLock { $0.entries[collection] ?? [] }
    }

    public func assistantChangeStamp() async throws -> Int64 { state.withLock { $0.stamp } }

    public func insertAsk(_ ask: AssistantAskRecord) async throws { state.withLock { $0.asks.append(ask) } }

    public func asks(collection: String, session: String) async throws -> [AssistantAskRecord] {
        state.withLock { s in s.asks.filter { $0.collection == collection && $0.session == session } }
    }

    public func openHandoffs(collection: String) async throws -> [AssistantAskRecord] {
        state.withLock { s in s.asks.filter { $0.collection == collection && $0.handoff && $0.resolvedAt == nil } }
    }

    public func resolveHandoff(id: String, collection: String, answer: String, at date: Date) async throws -> Bool {
        state.withLock { s in
            guard
                let i = s.asks.firstIndex(where: {
                    $0.id == id && $0.collection == collection && $0.handoff && $0.resolvedAt == nil
                })
            else { return false }
            s.asks[i].resolution = answer
            s.asks[i].resolvedAt = date
            return true
        }
    }

    public func deleteAsks(user: String) async throws -> Int {
        state.withLock { s in
            let before = s.asks.count
            s.asks.removeAll { $0.user == user }
            return before - s.asks.count
        }
    }
}
