import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct CollectionsEndpointTests {
    let faq = [
        ["id": "reset", "text": "how do i reset my password"],
        ["id": "refund", "text": "can i get a refund for my order"],
        ["id": "hours", "text": "what are your opening hours"],
    ]

    @Test func createFillSearchDeleteAndSurviveARestart() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            var r = try await client.send(.put, "/v1/collections/faq", key: fixture.writeKey, json: ["model": "mini"])
            #expect(r.status == .created)
            r = try await client.send(.post, "/v1/collections/faq/entries", key: fixture.writeKey, json: ["entries": faq])
            #expect(r.status == .ok)
            #expect(try r.object()["upserted"] as? Int == 3)
            r = try await client.send(
                .post, "/v1/search", key: fixture.readKey,
                json: ["collection": "faq", "query": "can i get a refund for my order", "top_k": 2])
            #expect(r.status == .ok)
            let hits = try #require(try r.object()["results"] as? [[String: Any]])
            #expect(hits.count == 2)
            #expect(hits[0]["id"] as? String == "refund")
            #expect(abs((hits[0]["score"] as? Double ?? 0) - 1) < 1e-4)
            r = try await client.send(.get, "/v1/collections", key: fixture.readKey)
            let listed = try #require(try r.object()["collections"] as? [[String: Any]])
            #expect(listed.count == 1)
            #expect(listed[0]["count"] as? Int == 3)
            r = try await client.send(.delete, "/v1/collections/faq/entries/hours", key: fixture.writeKey)
            #expect(r.status == .noContent)
            r = try await client.send(.delete, "/v1/collections/faq/entries/hours", key: fixture.writeKey)
            #expect(r.status == .notFound)
            #expect(try r.apiError().code == "entry_not_found")
        }
        // A new app on the same store rebuilds the index from the stored vectors.
        try await fixture.app().test(.router) { client in
            let r = try await client.send(
                .post, "/v1/search", key: fixture.readKey,
                json: ["collection": "faq", "query": "how do i reset my password", "top_k": 5])
            let hits = try #require(try r.object()["results"] as? [[String: Any]])
            #expect(hits.map { $0["id"] as? String } == ["reset", "refund"])
            let e = try await client.send(.get, "/v1/collections/faq/entries", key: fixture.readKey)
            #expect((try e.object()["entries"] as? [[String: Any]])?.map { $0["id"] as? String } == ["reset", "refund"])
            #expect(try await client.send(.delete, "/v1/collections/faq", key: fixture.writeKey).status == .noContent)
            let gone = try await client.send(.post, "/v1/search", key: fixture.readKey, json: ["collection": "faq", "query": "x"])
            #expect(gone.status == .notFound)
            #expect(try gone.apiError().code == "collection_not_found")
            #expect(try gone.apiError().message == "no collection named \"faq\"")
            #expect(try gone.apiError().field == "collection")
        }
    }

    @Test func collectionErrors() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            var r = try await client.send(.put, "/v1/collections/faq", key: fixture.writeKey, json: ["model": "sentiment"])
            #expect(r.status == .badRequest)
            #expect(try r.apiError().code == "wrong_model_kind")
            r = try await client.send(.put, "/v1/collections/faq", key: fixture.writeKey, json: ["model": "missing"])
            #expect(r.status == .notFound)
            r = try await client.send(.post, "/v1/collections/none/entries", key: fixture.writeKey, json: ["entries": faq])
            #expect(r.status == .notFound)
            #expect(try await client.send(.put, "/v1/collections/faq", key: fixture.writeKey, json: ["model": "mini"]).status == .created)
            r = try await client.send(
                .post, "/v1/collections/faq/entries", key: fixture.writeKey,
                json: ["entries": [["id": "a", "text": "x"], ["id": "a", "text": "y"]]])
            #expect(r.status == .ok, "an id given twice keeps its last entry (SchemathesisFindingsTests)")
            #expect(try r.object()["upserted"] as? Int == 1)
            #expect(try await client.send(.delete, "/v1/collections/faq/entries/a", key: fixture.writeKey).status == .noContent)
            r = try await client.send(
                .post, "/v1/collections/faq/entries", key: fixture.writeKey, json: ["entries": [["id": "", "text": "x"]]])
            #expect(try r.apiError().field == "entries[0].id")
            r = try await client.send(.post, "/v1/search", key: fixture.readKey, json: ["collection": "faq", "query": "x", "top_k": 0])
            #expect(try r.apiError().field == "top_k")
            // An empty collection answers with no hits.
            r = try await client.send(.post, "/v1/search", key: fixture.readKey, json: ["collection": "faq", "query": "x"])
            #expect(r.status == .ok)
            #expect((try r.object()["results"] as? [Any])?.isEmpty == true)
        }
    }
}
