import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every recommendation route answers as `openapi.yaml` documents it, in
/// success and in error, with and without a configured recommender.
@Suite struct RecommendContractTests {
    struct Call: @unchecked Sendable {
        var method: HTTPRequest.Method
        var uri: String
        var template: String
        var key: String?
        var json: Any?
        var status: Int
        init(_ method: HTTPRequest.Method, _ uri: String, _ template: String, _ key: String?, _ json: Any?, _ status: Int) {
            (self.method, self.uri, self.template, self.key, self.json, self.status) = (method, uri, template, key, json, status)
        }
    }

    static func check(_ calls: [Call], app: some ApplicationProtocol) async throws {
        let contract = try OpenAPIContract.embedded()
        try await app.test(.router) { client in
            for call in calls {
                let response = try await client.send(call.method, call.uri, key: call.key, json: call.json)
                #expect(
                    Int(response.status.code) == call.status, "\(call.method) \(call.uri): \(String(buffer: response.body).prefix(300))")
                let problems = try contract.violations(
                    method: call.method.rawValue, path: call.template, status: Int(response.status.code),
                    contentType: response.headers[.contentType], body: Array(buffer: response.body))
                #expect(problems.isEmpty, "\(call.method) \(call.uri): \(problems)")
            }
        }
    }

    @Test func recommendationRoutesConformToTheDocument() async throws {
        let (fixture, _) = try await RecommendTestData.fixture()
        defer { fixture.remove() }
        let (read, write) = (fixture.readKey, fixture.writeKey)
        let calls: [Call] = [
            Call(.put, "/v1/items/new-1", "/v1/items/{id}", write, ["title": "New", "text": "a new thing", "categories": ["A"]], 200),
            Call(.put, "/v1/items/new-1", "/v1/items/{id}", write, ["title": 3], 400),
            Call(.put, "/v1/items/new-1", "/v1/items/{id}", read, ["title": "x"], 403),
            Call(.get, "/v1/items", "/v1/items", read, nil, 200),
            Call(.get, "/v1/items/new-1", "/v1/items/{id}", read, nil, 200),
            Call(.get, "/v1/items/absent", "/v1/items/{id}", read, nil, 404),
            Call(.put, "/v1/users/alice", "/v1/users/{id}", write, ["attributes": ["plan": "pro"]], 200),
            Call(
                .post, "/v1/events", "/v1/events", write,
                [
                    "events": [
                        ["user": "alice", "item": "i1", "type": "view", "event_id": "a1"], ["user": "alice", "item": "i2", "type": "like"],
                        ["user": "alice", "item": "i3", "type": "view", "value": 2, "time": 1_700_000_000],
                    ]
                ], 200
            ),
            Call(.post, "/v1/events", "/v1/events", write, ["events": []], 400),
            Call(.post, "/v1/events", "/v1/events", write, ["events": [["user": "alice", "item": "i1", "type": "buy"]]], 400),
            Call(.get, "/v1/users/alice/recommendations?k=3&explain=true", "/v1/users/{id}/recommendations", read, nil, 200),
            Call(.get, "/v1/users/ghost/recommendations?category=A", "/v1/users/{id}/recommendations", read, nil, 200),
            Call(.get, "/v1/users/alice/recommendations?exclude_seen=maybe", "/v1/users/{id}/recommendations", read, nil, 400),
            Call(.get, "/v1/users/alice/profile", "/v1/users/{id}/profile", read, nil, 200),
            Call(.get, "/v1/users/ghost/profile", "/v1/users/{id}/profile", read, nil, 404),
            Call(.get, "/v1/items/i1/similar?k=3", "/v1/items/{id}/similar", read, nil, 200),
            Call(.get, "/v1/items/absent/similar", "/v1/items/{id}/similar", read, nil, 404),
            Call(.get, "/v1/recommend/stats", "/v1/recommend/stats", read, nil, 200),
            Call(.get, "/v1/recommend/stats?k=3&sample=5&model=recs", "/v1/recommend/stats", read, nil, 200),
            Call(.get, "/v1/recommend/stats?k=0", "/v1/recommend/stats", read, nil, 400),
            Call(.get, "/v1/recommend/stats?model=other", "/v1/recommend/stats", read, nil, 404),
            Call(.delete, "/v1/items/new-1", "/v1/items/{id}", write, nil, 204),
            Call(.delete, "/v1/items/new-1", "/v1/items/{id}", write, nil, 404),
        ]
        try await Self.check(calls, app: try await fixture.app())
    }

    @Test func withoutARecommenderTheRoutesAnswer503() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let calls: [Call] = [
            Call(.get, "/v1/users/a/recommendations", "/v1/users/{id}/recommendations", fixture.readKey, nil, 503),
            Call(.post, "/v1/events", "/v1/events", fixture.writeKey, ["events": [["user": "a", "item": "b", "type": "view"]]], 503),
            Call(.get, "/v1/items", "/v1/items", fixture.readKey, nil, 503),
            Call(.get, "/v1/recommend/stats", "/v1/recommend/stats", fixture.readKey, nil, 503),
        ]
        try await Self.check(calls, app: try await fixture.app())
    }
}
