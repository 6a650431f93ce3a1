import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The application against its contract, `openapi.yaml`: the route table and the document list the
/// same operations, and real responses (success and error paths) have documented statuses, media
/// types and bodies that conform to the schemas.
@Suite struct OpenAPIRouteContractTests {
    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        var table: [Router<FinchRequestContext>.RouteDescription] = []
        _ = try await buildApplication(
            configuration: fixture.configuration, store: fixture.store, logSink: { _ in }, routes: { table = $0 })
        let served = Set(table.map { "\($0.method.rawValue) \(OpenAPIContract.shape(of: $0.path.description))" })
        let contract = try OpenAPIContract.embedded()
        let documented = Set(contract.operations.map { "\($0.method) \($0.shape)" })
        #expect(served.count >= 30)
        #expect(served.subtracting(documented).sorted() == [], "routes missing from openapi.yaml")
        #expect(documented.subtracting(served).sorted() == [], "operations of openapi.yaml the app does not serve")
    }

    /// One request, the status it must get and the document's template for its path.
    /// `@unchecked`: `json` holds only literals (strings, numbers, arrays and dictionaries of them), never mutated.
    struct Call: CustomStringConvertible, @unchecked Sendable {
        var method: HTTPRequest.Method
        var uri: String
        var template: String
        var key: String?
        var json: Any?
        var status: Int
        var description: String { "\(method) \(uri) (\(status))" }
    }

    @Test func responsesConformToTheDocument() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let (read, write, admin) = (fixture.readKey, fixture.writeKey, fixture.adminKey)
        let calls: [Call] = [
            Call(method: .get, uri: "/healthz", template: "/healthz", status: 200),
            Call(method: .get, uri: "/readyz", template: "/readyz", status: 200),
            Call(method: .get, uri: "/openapi.yaml", template: "/openapi.yaml", status: 200),
            Call(method: .get, uri: "/", template: "/", status: 200),
            Call(method: .get, uri: "/dashboard", template: "/dashboard", status: 200),
            Call(method: .get, uri: "/dashboard/app.js", template: "/dashboard/{file}", status: 200),
            Call(method: .get, uri: "/dashboard/nope.js", template: "/dashboard/{file}", status: 404),
            Call(method: .get, uri: "/metrics", template: "/metrics", key: read, status: 200),
            Call(method: .get, uri: "/metrics", template: "/metrics", status: 401),
            Call(method: .get, uri: "/v1/models", template: "/v1/models", key: read, status: 200),
            Call(
                method: .post, uri: "/v1/embed", template: "/v1/embed", key: read, json: ["model": "mini", "inputs": ["hello world"]],
                status: 200),
            Call(method: .post, uri: "/v1/embed", template: "/v1/embed", key: read, json: ["inputs": ["hello"]], status: 400),
            Call(
                method: .post, uri: "/v1/redact", template: "/v1/redact", key: read, json: ["inputs": ["mail ann@x.io"]], status: 200),
            Call(
                method: .post, uri: "/v1/redact", template: "/v1/redact", key: read, json: ["inputs": "x", "operator": "hash"], status: 400),
            Call(method: .post, uri: "/v1/embed", template: "/v1/embed", key: read, json: ["model": "nope", "inputs": "hi"], status: 404),
            Call(
                method: .post, uri: "/v1/embed", template: "/v1/embed", key: "finch_nosuchkey", json: ["model": "mini", "inputs": "hi"],
                status: 401),
            Call(
                method: .post, uri: "/v1/classify", template: "/v1/classify", key: read,
                json: ["model": "sentiment", "inputs": ["good", "bad"], "top_k": 2], status: 200),
            Call(
                method: .post, uri: "/v1/classify", template: "/v1/classify", key: read,
                json: ["model": "sentiment", "inputs": ["good"], "top_k": 0], status: 400),
            Call(
                method: .post, uri: "/v1/entities", template: "/v1/entities", key: read,
                json: ["model": "ner", "inputs": ["Mary in Paris"]],
                status: 200),
            Call(
                method: .post, uri: "/v1/tokenize", template: "/v1/tokenize", key: read, json: ["model": "mini", "inputs": "hello world"],
                status: 200),
            Call(
                method: .post, uri: "/v1/explain", template: "/v1/explain", key: read,
                json: ["model": "sentiment", "text": "good film", "pair": "bad plot", "steps": 8], status: 200),
            Call(
                method: .post, uri: "/v1/explain", template: "/v1/explain", key: read,
                json: ["model": "ner", "text": "mary visited paris", "method": "occlusion"], status: 200),
            Call(
                method: .post, uri: "/v1/explain", template: "/v1/explain", key: read, json: ["model": "mini", "text": "x"], status: 400),
            Call(
                method: .post, uri: "/v1/rerank", template: "/v1/rerank", key: read,
                json: ["model": "mini", "query": "hello", "texts": ["hello there", "goodbye"]], status: 200),
            Call(
                method: .put, uri: "/v1/collections/docs", template: "/v1/collections/{name}", key: write, json: ["model": "mini"],
                status: 201),
            Call(
                method: .put, uri: "/v1/collections/docs", template: "/v1/collections/{name}", key: read, json: ["model": "mini"],
                status: 403),
            Call(
                method: .post, uri: "/v1/collections/docs/entries", template: "/v1/collections/{name}/entries", key: write,
                json: ["entries": [["id": "a", "text": "reset a password"], ["id": "b", "text": "a broken mouse"]]], status: 200),
            Call(method: .get, uri: "/v1/collections", template: "/v1/collections", key: read, status: 200),
            Call(method: .get, uri: "/v1/collections/docs", template: "/v1/collections/{name}", key: read, status: 200),
            Call(method: .get, uri: "/v1/collections/docs/entries", template: "/v1/collections/{name}/entries", key: read, status: 200),
            Call(
                method: .post, uri: "/v1/search", template: "/v1/search", key: read,
                json: ["collection": "docs", "query": "password", "top_k": 2],
                status: 200),
            Call(
                method: .post, uri: "/v1/search", template: "/v1/search", key: read, json: ["collection": "none", "query": "password"],
                status: 404),
            Call(
                method: .delete, uri: "/v1/collections/docs/entries/a", template: "/v1/collections/{name}/entries/{id}", key: write,
                status: 204),
            Call(method: .delete, uri: "/v1/collections/docs", template: "/v1/collections/{name}", key: write, status: 204),
            Call(method: .get, uri: "/v1/collections/docs", template: "/v1/collections/{name}", key: read, status: 404),
            Call(method: .get, uri: "/v1/keys", template: "/v1/keys", key: admin, status: 200),
            Call(method: .get, uri: "/v1/keys", template: "/v1/keys", key: read, status: 403),
            Call(
                method: .post, uri: "/v1/keys", template: "/v1/keys", key: admin, json: ["scope": "read", "name": "contract"],
                status: 201),
            Call(method: .post, uri: "/v1/keys", template: "/v1/keys", key: admin, json: ["scope": "root"], status: 400),
            Call(method: .delete, uri: "/v1/keys/nosuchkey", template: "/v1/keys/{id}", key: admin, status: 404),
            Call(
                method: .post, uri: "/v1/models", template: "/v1/models", key: admin, json: ["name": "x", "path": "relative/folder"],
                status: 400),
            Call(
                method: .post, uri: "/v1/models/mini/versions/99/activate", template: "/v1/models/{name}/versions/{version}/activate",
                key: admin, status: 404),
            Call(
                method: .post, uri: "/v1/models/mini/versions/1/activate", template: "/v1/models/{name}/versions/{version}/activate",
                key: admin, status: 200),
            Call(
                method: .post, uri: "/v1/embeddings", template: "/v1/embeddings", key: read, json: ["model": "mini", "input": "hi"],
                status: 200),
            Call(method: .post, uri: "/embed", template: "/embed", key: read, json: ["inputs": "hi"], status: 200),
            Call(method: .post, uri: "/predict", template: "/predict", key: read, json: ["inputs": "hi"], status: 200),
            Call(method: .post, uri: "/predict", template: "/predict", key: read, json: ["inputs": [["a"], ["b", "c"]]], status: 200),
            Call(
                method: .post, uri: "/rerank", template: "/rerank", key: read, json: ["query": "hi", "texts": ["hi", "bye"]], status: 200),
            Call(method: .post, uri: "/tokenize", template: "/tokenize", key: read, json: ["inputs": "hi"], status: 200),
        ]
        let app = try await fixture.app()
        try await app.test(.router) { client in
            for call in calls {
                let response = try await client.send(call.method, call.uri, key: call.key, json: call.json)
                #expect(Int(response.status.code) == call.status, "\(call): \(String(buffer: response.body).prefix(300))")
                let problems = try contract.violations(
                    method: call.method.rawValue, path: call.template, status: Int(response.status.code),
                    contentType: response.headers[.contentType], body: Array(buffer: response.body))
                #expect(problems.isEmpty, "\(call): \(problems)")
            }
            // A body over the limit (1 MiB) is refused with the documented 413.
            let big = try await client.send(.post, "/v1/embed", key: read, raw: String(repeating: "x", count: 1 << 21))
            #expect(big.status == .contentTooLarge)
            #expect(
                try contract.violations(
                    method: "POST", path: "/v1/embed", status: 413, contentType: big.headers[.contentType],
                    body: Array(buffer: big.body)
                ).isEmpty)
        }
    }

    /// The check is not vacuous: responses that break the document are reported.
    @Test func nonConformingResponsesAreReported() throws {
        let contract = try OpenAPIContract.embedded()
        let json = "application/json; charset=utf-8"
        #expect(
            try contract.violations(
                method: "POST", path: "/v1/embed", status: 200, contentType: json,
                body: Array(#"{"embeddings": [[0.5]], "model": "m", "truncated": []}"#.utf8))
                == ["POST /v1/embed → 200: $: missing required member 'version'"])
        #expect(
            try contract.violations(method: "POST", path: "/v1/embed", status: 418, contentType: json, body: []).first?
                .contains("status 418 is not documented") == true)
        #expect(
            try contract.violations(method: "POST", path: "/v1/embed", status: 200, contentType: "text/plain", body: []).first?
                .contains("media type 'text/plain' is not declared") == true)
        #expect(
            try contract.violations(
                method: "POST", path: "/v1/embed", status: 400, contentType: json,
                body: Array(#"{"error": {"code": "x", "message": "y"}}"#.utf8))
                == ["POST /v1/embed → 400: $.error: missing required member 'field'"])
        #expect(
            try contract.violations(method: "PATCH", path: "/v1/embed", status: 200, contentType: json, body: [])
                == ["PATCH /v1/embed is not documented"])
        #expect(
            try contract.violations(method: "DELETE", path: "/v1/keys/{id}", status: 204, contentType: nil, body: Array("x".utf8))
                == ["DELETE /v1/keys/{id} → 204: the document declares no body, the response has 1 bytes"])
    }
}
