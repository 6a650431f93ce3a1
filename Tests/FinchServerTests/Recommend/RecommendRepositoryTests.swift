import FinchApps
import FinchServer
import Foundation
import Testing

/// The recommendation service's repository checks, run against SQLite,
/// PostgreSQL and the in-memory store, so the implementations cannot drift apart.
enum RecommendRepositoryChecks {
    static func run(_ store: any ServiceStore) async throws {
        let repo = store.recommendEvents
        let tag = UUID().uuidString.prefix(8).lowercased()
        let before = try await repo.lastEventSequence()

        // items: insert, replace, read, delete
        let item = RecommendItemRecord(
            id: "it-\(tag)", title: "Heat", text: "a heist in Los Angeles", categories: ["Crime", "Thriller"],
            attributes: ["year": "1995"], available: true, embedding: [0.5, -1, .pi], updatedAt: Date(timeIntervalSince1970: 10))
        try await repo.putItem(item)
        #expect(try await repo.item(id: item.id) == item)
        var changed = item
        changed.available = false
        changed.embedding = nil
        changed.categories = []
        try await repo.putItem(changed)
        #expect(try await repo.item(id: item.id) == changed)
        #expect(try await repo.allItems().contains(changed))

        // users
        let user = RecommendUserRecord(id: "us-\(tag)", attributes: ["country": "NZ"], updatedAt: Date(timeIntervalSince1970: 11))
        try await repo.putUser(user)
        #expect(try await repo.user(id: user.id) == user)

        // events: sequence order, idempotent on event ids, users/items created on the fly
        let batch = [
            RecommendEventRecord(eventID: "e1-\(tag)", user: user.id, item: item.id, type: "view", value: 1, time: 100),
            RecommendEventRecord(eventID: nil, user: "new-\(tag)", item: "newitem-\(tag)", type: "like", value: 2.5, time: 101),
            RecommendEventRecord(eventID: "e1-\(tag)", user: user.id, item: item.id, type: "view", value: 1, time: 102),
            RecommendEventRecord(eventID: nil, user: "new-\(tag)", item: item.id, type: "view", value: 1, time: 103),
        ]
        let first = try await repo.appendEvents(batch, at: Date(timeIntervalSince1970: 20))
        #expect(first.stored.count == 3)
        #expect(first.duplicates == [2])
        #expect(first.createdUsers == ["new-\(tag)"])
        #expect(first.createdItems == ["newitem-\(tag)"])
        #expect(first.stored.map(\.sequence) == [before + 1, before + 2, before + 3])
        let again = try await repo.appendEvents([batch[0]], at: Date())
        #expect(again.stored.isEmpty && again.duplicates == [0], "a retried event id is not stored twice")
        #expect(try await repo.lastEventSequence() == before + 3)
        let mine = try await repo.events(after: before)
        #expect(mine.map(\.user) == [user.id, "new-\(tag)", "new-\(tag)"])
        #expect(mine[1].value == 2.5 && mine[1].time == 101 && mine[1].type == "like" && mine[1].eventID == nil)
        #expect(try await repo.item(id: "newitem-\(tag)")?.available == true)
        #expect(try await repo.user(id: "new-\(tag)")?.attributes == [:])
        #expect(try await repo.events(user: "new-\(tag)").map(\.time) == [101, 103])

        // erasure removes the user's events and row, nobody else's
        #expect(try await repo.eraseUser("new-\(tag)") == 3)  // two events + the row
        #expect(try await repo.events(user: "new-\(tag)").isEmpty)
        #expect(try await repo.user(id: "new-\(tag)") == nil)
        #expect(try await repo.events(user: user.id).count == 1)
        #expect(try await repo.eraseUser("new-\(tag)") == 0)
        #expect(try await repo.lastEventSequence() == before + 3, "sequences are never reused after an erasure")
        let after = try await repo.appendEvents(
            [RecommendEventRecord(user: user.id, item: item.id, type: "view", value: 1, time: 104)], at: Date())
        #expect(after.stored.map(\.sequence) == [before + 4])

        #expect(try await repo.deleteItem(id: item.id))
        #expect(try await !repo.deleteItem(id: item.id))
        #expect(try await repo.item(id: item.id) == nil)
    }
}

@Suite struct RecommendRepositoryTests {
    @Test func inMemory() async throws {
        try await RecommendRepositoryChecks.run(InMemoryStore())
    }

    @Test func sqlite() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("finch.sqlite").path
        let store = try SQLiteStore(path: path)
        try await RecommendRepositoryChecks.run(store)
        try await store.close()
        // Reopened: the migration is not applied twice and the events are there.
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.recommendEvents.lastEventSequence() == 4)
        try await reopened.close()
    }

    /// Needs `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away server and sets it).
    @Test func postgres() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
            "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
        let store = try await PostgresStore(url: url)
        try await RecommendRepositoryChecks.run(store)
        try await store.close()
    }
}
