import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The assistant's routes through the composition root, with the tiny embedder "mini".
@Suite struct AssistantEndpointTests {
    static var entries: [[String: Any]] {
        [
            [
                "id": "reset", "question": "how do i reset my password", "answer": "Use the reset link.",
                "alternatives": ["forgot password"],
            ],
            ["id": "refund", "question": "can i get a refund for my order", "answers": ["Within 30 days.", "Ask support."]],
            ["id": "hours", "question": "what are your opening hours", "answer": "9 to 5.", "category": "general"],
            ["id": "ship", "question": "do you ship abroad", "answer": "Yes."],
            ["id": "pay", "question": "which cards do you accept", "answer": "Visa and Mastercard."],
        ]
    }

    @Test func importAskHandOffResolveAndReadTheSession() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            var r = try await client.send(
                .put, "/v1/assistant/faq", key: fixture.writeKey, json: ["model": "mini", "entries": Self.entries, "threshold": 0])
            #expect(r.status == .created)
            var body = try r.object()
            #expect(body["count"] as? Int == 5)
            #expect(body["threshold"] as? Double == 0)
            #expect(body["dimension"] as? Int == 32)

            // The read key may ask; the answer has the documented fields.
            r = try await client.send(
                .post, "/v1/assistant/faq/ask", key: fixture.readKey,
                json: ["query": "how do i reset my password", "session": "s-1", "user": "u-1"])
            #expect(r.status == .ok)
            body = try r.object()
            #expect(body["entry"] as? String == "reset")
            #expect(body["answer"] as? String == "Use the reset link.")
            #expect(body["handoff"] as? Bool == false)
            #expect(body["reason"] is NSNull)
            let alternatives = try #require(body["alternatives"] as? [[String: Any]])
            #expect(alternatives.count == 3)
            #expect(!alternatives.contains { $0["entry"] as? String == "reset" })
            let confidence = try #require(body["confidence"] as? Double)
            #expect((0...1).contains(confidence))

            // A threshold above every confidence hands off; the hand-off is queued.
            r = try await client.send(.put, "/v1/assistant/faq/policy", key: fixture.writeKey, json: ["threshold": 1])
            #expect(r.status == .ok)
            r = try await client.send(
                .post, "/v1/assistant/faq/ask", key: fixture.readKey, json: ["query": "is my parcel lost", "session": "s-1"])
            body = try r.object()
            #expect(body["handoff"] as? Bool == true)
            #expect((body["reason"] as? String)?.contains("below the threshold 1") == true)
            let handoffID = try #require(body["id"] as? String)
            r = try await client.send(.get, "/v1/assistant/faq/handoffs", key: fixture.readKey)
            #expect(r.status == .forbidden)
            r = try await client.send(.get, "/v1/assistant/faq/handoffs", key: fixture.writeKey)
            var open = try #require(try r.object()["handoffs"] as? [[String: Any]])
            #expect(open.map { $0["id"] as? String } == [handoffID])
            #expect(open[0]["query"] as? String == "is my parcel lost")
            r = try await client.send(
                .post, "/v1/assistant/faq/handoffs/\(handoffID)/resolve", key: fixture.writeKey,
                json: ["answer": "It left yesterday."])
            #expect(r.status == .noContent)
            r = try await client.send(
                .post, "/v1/assistant/faq/handoffs/\(handoffID)/resolve", key: fixture.writeKey, json: ["answer": "again"])
            #expect(r.status == .notFound)
            #expect(try r.apiError().code == "handoff_not_found")
            r = try await client.send(.get, "/v1/assistant/faq/handoffs", key: fixture.writeKey)
            open = try #require(try r.object()["handoffs"] as? [[String: Any]])
            #expect(open.isEmpty)

            // The session holds both asks in order, the hand-off with the person's answer.
            r = try await client.send(.get, "/v1/assistant/faq/sessions/s-1", key: fixture.readKey)
            let asks = try #require(try r.object()["asks"] as? [[String: Any]])
            #expect(asks.map { $0["query"] as? String } == ["how do i reset my password", "is my parcel lost"])
            #expect(asks[0]["user"] as? String == "u-1")
            #expect((asks[0]["shown"] as? [String])?.count == 4)
            #expect(asks[1]["resolution"] as? String == "It left yesterday.")
            #expect(asks[1]["resolved_at"] is String)
            #expect((asks[0]["latency_ms"] as? Double).map { $0 >= 0 } == true)
        }
    }

    @Test func entriesAreEditedWithoutARestartAndSurviveOne() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            var r = try await client.send(
                .put, "/v1/assistant/faq", key: fixture.writeKey, json: ["model": "mini", "entries": Self.entries])
            #expect(r.status == .created)
            r = try await client.send(
                .post, "/v1/assistant/faq/entries", key: fixture.writeKey,
                json: ["entries": [["id": "hours", "question": "when does the shop open on sunday", "answer": "Noon."]]])
            #expect(r.status == .ok)
            #expect(try r.object()["count"] as? Int == 5)
            r = try await client.send(
                .post, "/v1/assistant/faq/ask", key: fixture.readKey,
                json: ["query": "when does the shop open on sunday", "session": "s"])
            #expect(try r.object()["entry"] as? String == "hours")
            #expect(try r.object()["answer"] as? String == "Noon.")
            r = try await client.send(.delete, "/v1/assistant/faq/entries/reset", key: fixture.writeKey)
            #expect(r.status == .noContent)
            r = try await client.send(.delete, "/v1/assistant/faq/entries/reset", key: fixture.writeKey)
            #expect(try r.apiError().code == "entry_not_found")
            r = try await client.send(
                .post, "/v1/assistant/faq/ask", key: fixture.readKey, json: ["query": "how do i reset my password", "session": "s"])
            #expect(try r.object()["entry"] as? String != "reset")
            // Upserts need ids; blank answers are named.
            r = try await client.send(
                .post, "/v1/assistant/faq/entries", key: fixture.writeKey, json: ["entries": [["question": "q", "answer": "a"]]])
            #expect(try r.apiError().field == "entries[0].id")
            r = try await client.send(
                .post, "/v1/assistant/faq/entries", key: fixture.writeKey, json: ["entries": [["id": "x", "question": "q", "answer": " "]]])
            let error = try r.apiError()
            #expect(error.field == "entries" && error.message.contains("answer"))
        }
        // A new app on the same store serves the edited collection.
        try await fixture.app().test(.router) { client in
            let r = try await client.send(.get, "/v1/assistant/faq/entries", key: fixture.readKey)
            let entries = try #require(try r.object()["entries"] as? [[String: Any]])
            #expect(entries.map { $0["id"] as? String } == ["refund", "hours", "ship", "pay"])
            #expect(entries[0]["answers"] as? [String] == ["Within 30 days.", "Ask support."])
            #expect(entries[1]["question"] as? String == "when does the shop open on sunday")
        }
    }

    @Test func csvBodyImportAndErrors() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let csv =
                "id,question,answer,alternatives\nr,how do i reset my password,Use the link.,forgot password|lost password\n"
                + "h,what are your opening hours,9 to 5.,\n"
            var r = try await client.execute(
                uri: "/v1/assistant/csvfaq?model=mini&threshold=auto", method: .put,
                headers: [.authorization: "Bearer \(fixture.writeKey)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            #expect(r.status == .created)
            var body = try r.object()
            #expect(body["count"] as? Int == 2)
            #expect(body["threshold"] as? Double == body["suggested_threshold"] as? Double)
            r = try await client.send(.get, "/v1/assistant/csvfaq/entries", key: fixture.readKey)
            let entries = try #require(try r.object()["entries"] as? [[String: Any]])
            #expect(entries[0]["alternatives"] as? [String] == ["forgot password", "lost password"])

            // A CSV line without its answer names the line.
            r = try await client.execute(
                uri: "/v1/assistant/bad?model=mini", method: .put,
                headers: [.authorization: "Bearer \(fixture.writeKey)", .contentType: "text/csv"],
                body: ByteBuffer(string: "question,answer\nq1,a1\nq2,\n"))
            body = try r.object()
            #expect(r.status == .badRequest)
            #expect(try r.apiError().message.contains("request body:3"))
            r = try await client.send(
                .put, "/v1/assistant/x", key: fixture.writeKey, json: ["model": "sentiment", "entries": Self.entries])
            #expect(try r.apiError().code == "wrong_model_kind")
            r = try await client.send(.put, "/v1/assistant/x", key: fixture.writeKey, json: ["entries": Self.entries])
            #expect(try r.apiError().field == "model")
            r = try await client.send(.post, "/v1/assistant/nope/ask", key: fixture.readKey, json: ["query": "q", "session": "s"])
            #expect(r.status == .notFound)
            #expect(try r.apiError().code == "collection_not_found")
            r = try await client.send(.post, "/v1/assistant/csvfaq/ask", key: fixture.readKey, json: ["query": "q"])
            #expect(try r.apiError().field == "session")
            r = try await client.send(.put, "/v1/assistant/csvfaq/policy", key: fixture.writeKey, json: ["threshold": 2])
            #expect(try r.apiError().field == "threshold")
            r = try await client.send(.put, "/v1/assistant/csvfaq", key: fixture.readKey, json: ["model": "mini", "entries": Self.entries])
            #expect(r.status == .forbidden)
            r = try await client.send(.delete, "/v1/assistant/csvfaq", key: fixture.writeKey)
            #expect(r.status == .noContent)
            r = try await client.send(.get, "/v1/assistant", key: fixture.readKey)
            #expect((try r.object()["collections"] as? [Any])?.isEmpty == true)
        }
    }
}
