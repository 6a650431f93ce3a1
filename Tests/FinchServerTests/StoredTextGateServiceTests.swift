import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Through the service: a user text stored by an existing path (the assistant's asks) passes the
/// stored-text gate, so the store holds its redacted form and none of the raw values — in SQLite
/// and PostgreSQL. With `redact_stored_text` off the same values are found, so the gate is what
/// keeps them out.
@Suite(.serialized) struct StoredTextGateServiceTests {
    static var entries: [[String: Any]] {
        [
            ["id": "reset", "question": "how do i reset my password", "answer": "Use the reset link."],
            ["id": "refund", "question": "can i get a refund for my order", "answer": "Within 30 days."],
        ]
    }

    /// Asks once with personal data in the query; returns the raw values and the stored session's query.
    static func askWithPersonalData(_ app: some ApplicationProtocol, fixture: ServerFixture) async throws -> (raw: [String], stored: String)
    {
        let tag = UUID().uuidString.prefix(8).lowercased()
        let email = "ann.lee.\(tag)@example.com"
        let raw = [email, "+44 20 7946 0321", "5555 5555 5555 4444"]
        let query = "refund please, write to \(email) or call +44 20 7946 0321, card 5555 5555 5555 4444"
        let stored = try await app.test(.router) { client in
            var r = try await client.send(
                .put, "/v1/assistant/faq-\(tag)", key: fixture.writeKey, json: ["model": "mini", "entries": Self.entries])
            #expect(r.status == .created)
            r = try await client.send(
                .post, "/v1/assistant/faq-\(tag)/ask", key: fixture.readKey, json: ["query": query, "session": "s-\(tag)"])
            #expect(r.status == .ok)
            r = try await client.send(.get, "/v1/assistant/faq-\(tag)/sessions/s-\(tag)", key: fixture.readKey)
            let asks = try #require(try r.object()["asks"] as? [[String: Any]])
            return try #require(asks.first?["query"] as? String)
        }
        return (raw, stored)
    }

    @Test func sqliteHoldsOnlyTheRedactedQuery() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let (raw, stored) = try await Self.askWithPersonalData(try await fixture.app(), fixture: fixture)
        #expect(stored.contains("<EMAIL_ADDRESS>") && stored.hasPrefix("refund please"), "\(stored)")
        let hits = try await StoreGrep.find(raw, in: fixture.store)
        #expect(hits.isEmpty, "\(hits)")
    }

    @Test func withRedactionOffTheRawValuesAreFound() async throws {
        let fixture = try await ServerFixture { $0.redactStoredText = false }
        defer { fixture.remove() }
        let (raw, stored) = try await Self.askWithPersonalData(try await fixture.app(), fixture: fixture)
        #expect(stored.contains(raw[0]))
        let hits = try await StoreGrep.find(raw, in: fixture.store)
        #expect(hits.keys.contains(raw[0]), "\(hits)")
    }

    @Test func postgresHoldsOnlyTheRedactedQuery() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let store = try await PostgresStore(url: try StoreGrep.postgresURL())
        for key in [fixture.readKey, fixture.writeKey] {
            let id = try #require(APIKeyHasher.parse(key)?.id)
            try await store.keys.insert(try #require(try await fixture.store.keys.key(id: id)))
        }
        let app = try await buildApplication(configuration: fixture.configuration, store: store, logSink: { _ in })
        let (raw, stored) = try await Self.askWithPersonalData(app, fixture: fixture)
        #expect(stored.contains("<EMAIL_ADDRESS>"), "\(stored)")
        let hits = try await StoreGrep.find(raw, in: store)
        #expect(hits.isEmpty, "\(hits)")
        try await store.close()
    }
}
