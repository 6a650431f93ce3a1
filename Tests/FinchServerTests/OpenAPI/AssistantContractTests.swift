import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The assistant's routes against `openapi.yaml`: success and error responses have documented
/// statuses and bodies that conform to the schemas.
@Suite struct AssistantContractTests {
    @Test func assistantResponsesConformToTheDocument() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let (read, write) = (fixture.readKey, fixture.writeKey)
        try await fixture.app().test(.router) { client in
            let entries: [[String: Any]] = [
                ["id": "a", "question": "how do i reset my password", "answer": "Use the link.", "alternatives": ["forgot password"]],
                ["id": "b", "question": "what are your opening hours", "answers": ["9 to 5.", "Ask us."], "category": "general"],
                ["id": "c", "question": "do you ship abroad", "answer": "Yes."],
                ["id": "d", "question": "which cards do you accept", "answer": "Visa."],
            ]
            typealias Call = (method: HTTPRequest.Method, uri: String, template: String, key: String?, json: Any?, status: Int)
            let c = "/v1/assistant/{collection}"
            let calls: [Call] = [
                (.put, "/v1/assistant/faq", c, write, ["model": "mini", "entries": entries, "threshold": 0], 201),
                (.put, "/v1/assistant/faq2", c, write, ["model": "mini", "entries": [["question": "q"]]], 400),
                (.put, "/v1/assistant/faq2", c, read, ["model": "mini", "entries": entries], 403),
                (.get, "/v1/assistant", "/v1/assistant", read, nil, 200),
                (.get, "/v1/assistant/faq", c, read, nil, 200),
                (.get, "/v1/assistant/none", c, read, nil, 404),
                (.get, "/v1/assistant/faq/entries", "\(c)/entries", read, nil, 200),
                (
                    .post, "/v1/assistant/faq/entries", "\(c)/entries", write,
                    ["entries": [["id": "e", "question": "q e", "answer": "a"]]], 200
                ),
                (.post, "/v1/assistant/faq/entries", "\(c)/entries", write, ["entries": []], 400),
                (.delete, "/v1/assistant/faq/entries/e", "\(c)/entries/{id}", write, nil, 204),
                (.delete, "/v1/assistant/faq/entries/e", "\(c)/entries/{id}", write, nil, 404),
                (.post, "/v1/assistant/faq/ask", "\(c)/ask", read, ["query": "how do i reset my password", "session": "s"], 200),
                (.post, "/v1/assistant/faq/ask", "\(c)/ask", read, ["query": "x"], 400),
                (.post, "/v1/assistant/none/ask", "\(c)/ask", read, ["query": "x", "session": "s"], 404),
                (.put, "/v1/assistant/faq/policy", "\(c)/policy", write, ["threshold": 1, "ambiguity_margin": 0.01], 200),
                (.post, "/v1/assistant/faq/ask", "\(c)/ask", read, ["query": "something else", "session": "s", "user": "u"], 200),
                (.get, "/v1/assistant/faq/sessions/s", "\(c)/sessions/{id}", read, nil, 200),
                (.get, "/v1/assistant/faq/handoffs", "\(c)/handoffs", write, nil, 200),
                (.get, "/v1/assistant/faq/handoffs", "\(c)/handoffs", read, nil, 403),
                (.post, "/v1/assistant/faq/handoffs/nope/resolve", "\(c)/handoffs/{id}/resolve", write, ["answer": "x"], 404),
                (.post, "/v1/assistant/faq/handoffs/nope/resolve", "\(c)/handoffs/{id}/resolve", write, ["answer": ""], 400),
            ]
            for call in calls {
                let response = try await client.send(call.method, call.uri, key: call.key, json: call.json)
                let label = "\(call.method) \(call.uri)"
                #expect(Int(response.status.code) == call.status, "\(label): \(String(buffer: response.body).prefix(300))")
                let problems = try contract.violations(
                    method: call.method.rawValue, path: call.template, status: Int(response.status.code),
                    contentType: response.headers[.contentType], body: Array(buffer: response.body))
                #expect(problems.isEmpty, "\(label): \(problems)")
            }
            // The queued hand-off resolves with the documented 204; then the collection is deleted (204, then 404).
            let queue = try await client.send(.get, "/v1/assistant/faq/handoffs", key: write)
            let open = try #require(try queue.object()["handoffs"] as? [[String: Any]])
            let id = try #require(open.first?["id"] as? String)
            let resolved = try await client.send(
                .post, "/v1/assistant/faq/handoffs/\(id)/resolve", key: write, json: ["answer": "A person answers."])
            #expect(resolved.status == .noContent)
            #expect(
                try contract.violations(
                    method: "POST", path: "\(c)/handoffs/{id}/resolve", status: 204, contentType: nil, body: Array(buffer: resolved.body)
                ).isEmpty)
            for status in [204, 404] {
                let r = try await client.send(.delete, "/v1/assistant/faq", key: write)
                #expect(Int(r.status.code) == status)
                #expect(
                    try contract.violations(
                        method: "DELETE", path: c, status: status, contentType: r.headers[.contentType], body: Array(buffer: r.body)
                    ).isEmpty)
            }
        }
    }
}
