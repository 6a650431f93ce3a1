import FinchApps
import FinchServer
import Foundation
import Testing

/// The feedback repository's contract, on every store.
enum FeedbackRepositoryChecks {
    static func run(_ store: any ServiceStore) async throws {
        let tag = UUID().uuidString.prefix(8).lowercased()
        let model = "fb-\(tag)", collection = "faq-\(tag)", user = "user-\(tag)"
        let records = [
            FeedbackRecord(
                id: "\(tag)-1", kind: .classification, model: model, collection: nil, input: "good film", label: "pos", entities: nil,
                entry: nil, user: user, keyID: "k1", createdAt: Date(timeIntervalSince1970: 100)),
            FeedbackRecord(
                id: "\(tag)-2", kind: .entities, model: model, collection: nil, input: "Mary in Paris", label: nil,
                entities: [FeedbackSpan(start: 0, end: 4, type: "PER"), FeedbackSpan(start: 8, end: 13, type: "LOC")], entry: nil,
                user: nil, keyID: "k2", createdAt: Date(timeIntervalSince1970: 101.5)),
            FeedbackRecord(
                id: "\(tag)-3", kind: .answer, model: nil, collection: collection, input: "where is my parcel", label: nil, entities: nil,
                entry: nil, user: user, keyID: "k1", createdAt: Date(timeIntervalSince1970: 102)),
            FeedbackRecord(
                id: "\(tag)-4", kind: .answer, model: nil, collection: collection, input: nil, label: nil, entities: nil, entry: "e7",
                user: "other-\(tag)", keyID: "k3", createdAt: Date(timeIntervalSince1970: 103)),
        ]
        for r in records { try await store.feedback.insertFeedback(r) }
        #expect(try await store.feedback.feedback(FeedbackQuery(model: model)) == Array(records[0...1]))
        #expect(try await store.feedback.feedback(FeedbackQuery(collection: collection)) == Array(records[2...3]))
        #expect(try await store.feedback.feedback(FeedbackQuery(collection: collection, limit: 1)) == [records[3]])
        #expect(try await store.feedback.feedback(FeedbackQuery(model: model, collection: collection)).isEmpty)
        let everything = try await store.feedback.feedback(FeedbackQuery()).filter { $0.id.hasPrefix(tag) }
        #expect(everything == records)
        #expect(try await store.feedback.eraseFeedback(user: user) == 2)
        #expect(try await store.feedback.feedback(FeedbackQuery()).filter { $0.id.hasPrefix(tag) }.map(\.id) == ["\(tag)-2", "\(tag)-4"])
    }
}

@Suite struct FeedbackRepositoryTests {
    @Test func inMemory() async throws {
        try await FeedbackRepositoryChecks.run(InMemoryStore())
    }

    @Test func sqlite() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        try await FeedbackRepositoryChecks.run(store)
        try await store.close()
    }

    /// Needs `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away server and sets it).
    @Test func postgres() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
            "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
        let store = try await PostgresStore(url: url)
        try await FeedbackRepositoryChecks.run(store)
        try await store.close()
    }
}
