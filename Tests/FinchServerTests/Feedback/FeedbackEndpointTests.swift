import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/feedback` and `GET /v1/feedback` through the composition root (SQLite).
@Suite struct FeedbackEndpointTests {
    static func keyID(_ key: String) -> String { String(key.split(separator: "_")[1]) }

    @Test func classificationFeedbackIsStoredRedactedWithItsKeyAndListed() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        try await fixture.app().test(.router) { client in
            let before = Date()
            let posted = try await client.send(
                .post, "/v1/feedback", key: fixture.writeKey,
                json: ["model": "sentiment", "input": "write to ann.lee@example.com, it was great", "label": "positive", "user": "u-1"])
            #expect(posted.status == .created, "\(String(buffer: posted.body))")
            #expect(
                try contract.violations(
                    method: "POST", path: "/v1/feedback", status: 201, contentType: posted.headers[.contentType],
                    body: Array(buffer: posted.body)
                ).isEmpty)
            let record = try #require(try posted.object()["feedback"] as? [String: Any])
            let input = try #require(record["input"] as? String)
            #expect(!input.contains("ann.lee@example.com"))
            #expect(input.hasSuffix(", it was great"))
            #expect(record["key_id"] as? String == Self.keyID(fixture.writeKey))
            #expect(record["kind"] as? String == "classification")
            #expect(record["user"] as? String == "u-1")
            let createdText = try #require(record["created_at"] as? String)
            let created = try #require(ISO8601DateFormatter().date(from: createdText))
            #expect(created.timeIntervalSince(before) > -1 && created.timeIntervalSinceNow < 1)

            // Another model's feedback is filtered out of ?model=.
            let other = try await client.send(
                .post, "/v1/feedback", key: fixture.writeKey,
                json: ["model": "ner", "input": "Mary in Paris", "entities": [["start": 0, "end": 4, "type": "PER"]]])
            #expect(other.status == .created, "\(String(buffer: other.body))")
            let listed = try await client.send(.get, "/v1/feedback?model=sentiment", key: fixture.readKey)
            #expect(listed.status == .ok)
            #expect(
                try contract.violations(
                    method: "GET", path: "/v1/feedback", status: 200, contentType: listed.headers[.contentType],
                    body: Array(buffer: listed.body)
                ).isEmpty)
            let items = try #require(try listed.object()["feedback"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [record["id"] as? String])
            let all = try #require(
                try await client.send(.get, "/v1/feedback", key: fixture.readKey).object()["feedback"] as? [[String: Any]])
            #expect(all.map { $0["kind"] as? String } == ["classification", "entities"])
        }
    }

    @Test func badFeedbackIsRefusedNamingTheField() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let cases: [(json: String, status: Int, field: String)] = [
            (#"{"model": "sentiment", "input": "fine", "label": "great"}"#, 400, "label"),
            (#"{"model": "nope", "input": "fine", "label": "positive"}"#, 404, "model"),
            (#"{"model": "mini", "input": "fine", "label": "positive"}"#, 400, "model"),
            (#"{"model": "sentiment", "label": "positive"}"#, 400, "input"),
            (#"{"model": "sentiment", "input": "   ", "label": "positive"}"#, 400, "input"),
            (#"{"model": "ner", "input": "Mary", "entities": [{"start": 2, "end": 9, "type": "PER"}]}"#, 400, "entities[0]"),
            (#"{"model": "ner", "input": "Mary", "entities": [{"start": 0, "end": 4, "type": "ANIMAL"}]}"#, 400, "entities[0].type"),
            (#"{"collection": "faq", "query": "where is my order"}"#, 400, "entry"),
            (#"{"collection": "faq", "entry": "e1"}"#, 400, "query"),
            (#"{"input": "x", "label": "positive"}"#, 400, "model"),
        ]
        try await fixture.app().test(.router) { client in
            for c in cases {
                let response = try await client.send(.post, "/v1/feedback", key: fixture.writeKey, raw: c.json)
                #expect(Int(response.status.code) == c.status, "\(c.json): \(String(buffer: response.body))")
                #expect(try response.apiError().field == c.field, "\(c.json)")
                #expect(
                    try contract.violations(
                        method: "POST", path: "/v1/feedback", status: c.status, contentType: response.headers[.contentType],
                        body: Array(buffer: response.body)
                    ).isEmpty)
            }
            let readOnly = try await client.send(
                .post, "/v1/feedback", key: fixture.readKey, json: ["model": "sentiment", "input": "fine", "label": "positive"])
            #expect(readOnly.status == .forbidden)
            let badLimit = try await client.send(.get, "/v1/feedback?limit=0", key: fixture.readKey)
            #expect(try badLimit.apiError().field == "limit")
            // Nothing of the refused requests was stored.
            let all = try #require(
                try await client.send(.get, "/v1/feedback", key: fixture.readKey).object()["feedback"] as? [[String: Any]])
            #expect(all.isEmpty)
        }
    }

    /// An assistant collection "faq" with the entries "reset" and "contact".
    static func createFAQ(_ client: some TestClientProtocol, key: String) async throws {
        let created = try await client.send(
            .put, "/v1/assistant/faq", key: key,
            raw: #"""
                {"model": "mini", "threshold": 0, "entries": [
                  {"id": "reset", "question": "how do i reset my password", "answer": "Use the reset link."},
                  {"id": "contact", "question": "how can i contact you", "answer": "Write to support."}]}
                """#)
        #expect(created.status == .created || created.status == .ok, "\(String(buffer: created.body))")
    }

    @Test func answerFeedbackKeepsNullEntryAndAnAcceptedQueryBecomesAnAlternative() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            try await Self.createFAQ(client, key: fixture.writeKey)
            let none = try await client.send(
                .post, "/v1/feedback", key: fixture.writeKey, raw: #"{"collection": "faq", "query": "can I pay by cheque", "entry": null}"#)
            #expect(none.status == .created, "\(String(buffer: none.body))")
            let record = try #require(try none.object()["feedback"] as? [String: Any])
            #expect(record["kind"] as? String == "answer")
            #expect(record["entry"] is NSNull)
            #expect(try none.object()["alternative_added"] as? Bool == false)

            // Accepted: the query is an alternative of the entry at once.
            let accepted = try await client.send(
                .post, "/v1/feedback", key: fixture.writeKey,
                json: ["collection": "faq", "query": "i forgot my login secret", "entry": "reset"])
            #expect(accepted.status == .created, "\(String(buffer: accepted.body))")
            #expect(try accepted.object()["alternative_added"] as? Bool == true)
            let entries = try await client.send(.get, "/v1/assistant/faq/entries", key: fixture.readKey)
            let listed = String(buffer: entries.body)
            #expect(listed.contains("i forgot my login secret"), "\(listed.prefix(400))")

            // Unknown collections and entries are refused before anything is stored.
            let unknownEntry = try await client.send(
                .post, "/v1/feedback", key: fixture.writeKey, json: ["collection": "faq", "query": "x y", "entry": "nope"])
            #expect(unknownEntry.status == .notFound)
            #expect(try unknownEntry.apiError().field == "entry")
            let unknownCollection = try await client.send(
                .post, "/v1/feedback", key: fixture.writeKey, json: ["collection": "other", "query": "x y", "entry": "reset"])
            #expect(unknownCollection.status == .notFound)
            #expect(try unknownCollection.apiError().field == "collection")
            let stored = try #require(
                try await client.send(.get, "/v1/feedback?collection=faq", key: fixture.readKey).object()["feedback"] as? [[String: Any]])
            #expect(stored.map { $0["input"] as? String } == ["can I pay by cheque", "i forgot my login secret"])
        }
    }
}
