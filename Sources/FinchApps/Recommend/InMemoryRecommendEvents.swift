import Foundation
import Synchronization

/// Items, users and events in memory (the `InMemoryStore`'s and tests'), with
/// the same contract as the database stores.
public final class InMemoryRecommendEvents: RecommendEventRepository {
    struct State {
        var items: [String: RecommendItemRecord] = [:]
        var users: [String: RecommendUserRecord] = [:]
        var events: [RecommendEventRecord] = []
        var eventIDs: Set<String> = []
        var last: Int64 = 0
    }

    private let state = Mutex(State())

    /// An empty repository.
    public init() {}

    public func putItem(_ item: RecommendItemRecord) async throws { state.withLock { $0.items[item.id] = item } }
    public func deleteItem(id: String) async throws -> Bool { state.withLock { $0.items.removeValue(forKey: id) != nil } }
    public func item(id: String) async throws -> RecommendItemRecord? { state.withLock { $0.items[id] } }
    public func allItems() async throws -> [RecommendItemRecord] { state.withLock { $0.items.values.sorted { $0.id < $1.id } } }
    public func putUser(_ user: RecommendUserRecord) async throws { state.withLock { $0.users[user.id] = user } }
    public func user(id: String) async throws -> RecommendUserRecord? { state.withLock { $0.users[id] } }

    public func appendEvents(_ events: [RecommendEventRecord], at date: Date) async throws -> EventAppendResult {
        state.withLock { s in
            var result = EventAppendResult(stored: [], duplicates: [], createdUsers: [], createdItems: [])
            for (n, e) in events.enumerated() {
                if let id = e.eventID, !s.eventIDs.insert(id).inserted {
                    result.duplicates.append(n)
                    continue
                }
                if s.users[e.user] == nil {
                    s.users[e.user] = RecommendUserRecord(id: e.user, updatedAt: date)
                    result.createdUsers.append(e.user)
                }
                if s.items[e.item] == nil {
                    s.items[e.item] = RecommendItemRecord(id: e.item, updatedAt: date)
                    result.createdItems.append(e.item)
                }
                s.last += 1
                var stored = e
                stored.sequence = s.last
                s.events.append(stored)
                result.stored.append(stored)
            }
            return result
        }
    }

    public func events(after sequence: Int64) async throws -> [RecommendEventRecord] {
        state.withLock { $0.events.filter { $0.sequence > sequence } }
    }

    public func events(user: String) async throws -> [RecommendEventRecord] { state.withLock { $0.events.filter { $0.user == user } } }
    public func lastEventSequence() async throws -> Int64 { state.withLock { $0.last } }

    public func eraseUser(_ id: String) async throws -> Int {
        state.withLock { s in
            let before = s.events.count
            for e in s.events where e.user == id { if let eventID = e.eventID { s.eventIDs.remove(eventID) } }
            s.events.removeAll { $0.user == id }
            let row = s.users.removeValue(forKey: id) != nil ? 1 : 0
            return before - s.events.count + row
        }
    }
}
