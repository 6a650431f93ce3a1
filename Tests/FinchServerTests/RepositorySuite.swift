import FinchApps
import FinchServer
import Foundation
import Testing

/// One suite of repository checks, run against SQLite and PostgreSQL (and the
/// in-memory store), so the implementations cannot drift apart.
enum RepositoryChecks {
    static func run(_ store: any ServiceStore) async throws {
        try await store.ping()
        let tag = UUID().uuidString.prefix(8).lowercased()

        // keys
        let (_, k) = APIKeyHasher.generate(name: "n-\(tag)", scope: .write)
        try await store.keys.insert(k)
        let readBack = try await store.keys.key(id: k.id)
        #expect(readBack == k, "\(String(describing: readBack)) != \(k)")
        #expect(try await store.keys.allKeys().contains(k))
        #expect(try await store.keys.key(id: "000000000000") == nil)
        #expect(try await store.keys.revoke(id: k.id, at: Date(timeIntervalSince1970: 1_000)))
        #expect(try await store.keys.key(id: k.id)?.revokedAt == Date(timeIntervalSince1970: 1_000))
        #expect(try await !store.keys.revoke(id: "000000000000", at: Date()))

        // model versions
        let name = "m-\(tag)"
        let v1 = try await store.models.addVersion(
            name: name, kind: .embedder, path: "/a", activate: true, at: Date(timeIntervalSince1970: 5))
        let v2 = try await store.models.addVersion(
            name: name, kind: .embedder, path: "/b", activate: true, at: Date(timeIntervalSince1970: 6))
        let v3 = try await store.models.addVersion(
            name: name, kind: .embedder, path: "/c", activate: false, at: Date(timeIntervalSince1970: 7))
        let numbers: [Int] = [v1.version, v2.version, v3.version]
        #expect(numbers == [1, 2, 3])
        var mine = try await store.models.allVersions().filter { $0.name == name }
        #expect(mine.map(\.active) == [false, true, false])
        #expect(mine.map(\.path) == ["/a", "/b", "/c"])
        #expect(mine[0].createdAt == Date(timeIntervalSince1970: 5))
        #expect(try await store.models.activate(name: name, version: 3))
        #expect(try await !store.models.activate(name: name, version: 4))
        mine = try await store.models.allVersions().filter { $0.name == name }
        #expect(mine.map(\.active) == [false, false, true])

        // collections
        let c = "c-\(tag)"
        let stamp0 = try await store.collections.changeStamp()
        try await store.collections.putCollection(CollectionRecord(name: c, model: name, createdAt: Date(timeIntervalSince1970: 9)))
        #expect(try await store.collections.collection(name: c)?.model == name)
        #expect(try await store.collections.allCollections().contains { $0.name == c })
        let e1 = CollectionEntryRecord(id: "1", text: "one", vector: [1, 0, -2.5])
        let e2 = CollectionEntryRecord(id: "2", text: "two", vector: [0, 1, .pi])
        try await store.collections.upsertEntries([e1, e2], collection: c)
        let e1b = CollectionEntryRecord(id: "1", text: "uno", vector: [3, 3, 3])
        let e3 = CollectionEntryRecord(id: "3", text: "three", vector: [0, 0, 1])
        try await store.collections.upsertEntries([e3, e1b], collection: c)
        #expect(try await store.collections.entries(collection: c) == [e1b, e2, e3])  // replaced in place, order kept
        #expect(try await store.collections.deleteEntry(id: "2", collection: c))
        #expect(try await !store.collections.deleteEntry(id: "2", collection: c))
        #expect(try await store.collections.entries(collection: c).map(\.id) == ["1", "3"])
        let stamp1 = try await store.collections.changeStamp()
        #expect(stamp1 > stamp0)
        // Replacing a collection empties it.
        try await store.collections.putCollection(CollectionRecord(name: c, model: name, createdAt: Date()))
        #expect(try await store.collections.entries(collection: c).isEmpty)
        #expect(try await store.collections.deleteCollection(name: c))
        #expect(try await !store.collections.deleteCollection(name: c))
        #expect(try await store.collections.collection(name: c) == nil)
        #expect(try await store.collections.changeStamp() > stamp1)
    }
}

@Suite struct RepositoryTests {
    @Test func inMemory() async throws {
        try await RepositoryChecks.run(InMemoryStore())
    }

    @Test func sqlite() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        try await RepositoryChecks.run(store)
        let pragmas = try store.pragmas()
        #expect(pragmas.journal == "wal")
        #expect(pragmas.synchronous == 2)  // FULL
        try await store.close()
        // Reopening applies no migration twice and keeps the data.
        let again = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        #expect(try await again.keys.allKeys().count == 1)
        try await again.close()
    }

    /// Needs `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away server and sets it).
    @Test func postgres() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
            "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
        let store = try await PostgresStore(url: url)
        try await RepositoryChecks.run(store)
        // A second client on the same database migrates nothing and sees the same rows.
        let second = try await PostgresStore(url: url)
        #expect(try await second.keys.allKeys().count == store.keys.allKeys().count)
        try await second.close()
        try await store.close()
    }
}
