import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Regressions for what schemathesis found against the live server (Benchmarks/run_schemathesis.sh),
/// each where the server and `openapi.yaml` disagreed.
@Suite struct SchemathesisFindingsTests {
    /// `{"model": null}` was accepted but the document allowed only strings: an optional request
    /// field may now be null in the document too, and null means "not given" on the server.
    @Test func nullForAnOptionalFieldMeansNotGivenAndTheDocumentSaysSo() async throws {
        let contract = try OpenAPIContract.embedded()
        let validator = JSONSchemaValidator(document: contract.document)
        func conforms(_ json: String, _ schema: String) throws -> [String] {
            try validator.violations(
                of: try JSONDecoder().decode(ContractValue.self, from: Data(json.utf8)),
                against: .object(["$ref": .string("#/components/schemas/\(schema)")]))
        }
        #expect(try conforms(#"{"inputs": "hi", "model": null, "normalize": null}"#, "TEIEmbedRequest") == [])
        #expect(try conforms(#"{"query": "q", "texts": ["t"], "model": null, "raw_scores": null}"#, "TEIRerankRequest") == [])
        #expect(try conforms(#"{"scope": "read", "name": null}"#, "CreateKeyRequest") == [])
        #expect(try conforms(#"{"model": "m", "inputs": "x", "top_k": null}"#, "ClassifyRequest") == [])
        #expect(try conforms(#"{"model": "m", "inputs": "x", "top_k": "2"}"#, "ClassifyRequest").count == 1)
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let embed = try await client.send(.post, "/embed", key: fixture.readKey, json: ["inputs": "hi", "model": NSNull()])
            #expect(embed.status == .ok)
            let classify = try await client.send(
                .post, "/v1/classify", key: fixture.readKey, json: ["model": "sentiment", "inputs": ["good"], "top_k": NSNull()])
            #expect(classify.status == .ok)
            #expect((try classify.object()["results"] as? [[Any]])?.first?.count == 1, "null top_k is the default, 1")
            let key = try await client.send(.post, "/v1/keys", key: fixture.adminKey, json: ["scope": "read", "name": NSNull()])
            #expect(key.status == .created)
        }
    }

    /// An entries list with one id twice was a 400, though the document allowed it: entries are
    /// now written in order and the last one with an id is stored; `truncated` indexes the request.
    @Test func anIdGivenTwiceKeepsItsLastEntry() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let long = Array(repeating: "word", count: 80).joined(separator: " ")  // over the embedder's 64 positions
        try await fixture.app().test(.router) { client in
            #expect(try await client.send(.put, "/v1/collections/c", key: fixture.writeKey, json: ["model": "mini"]).status == .created)
            let entries = [["id": "a", "text": "first"], ["id": "b", "text": "other"], ["id": "a", "text": long]]
            let r = try await client.send(.post, "/v1/collections/c/entries", key: fixture.writeKey, json: ["entries": entries])
            #expect(r.status == .ok)
            #expect(try r.object()["upserted"] as? Int == 2)
            #expect(try r.object()["truncated"] as? [Int] == [2])
            let listed = try await client.send(.get, "/v1/collections/c/entries", key: fixture.readKey)
            let stored = try #require(try listed.object()["entries"] as? [[String: Any]])
            #expect(stored.count == 2)
            #expect(stored.first { $0["id"] as? String == "a" }?["text"] as? String == long)
        }
    }

    /// The text limit counted grapheme clusters while the document's `maxLength` counts code
    /// points, so a text of too many code points in fewer graphemes was accepted.
    @Test func theCharacterLimitCountsCodePointsAsTheDocumentDoes() async throws {
        let fixture = try await ServerFixture { $0.maxCharacters = 10 }
        defer { fixture.remove() }
        let accents = String(repeating: "e\u{301}", count: 6)  // 6 graphemes, 12 code points
        #expect(accents.count == 6 && accents.unicodeScalars.count == 12)
        try await fixture.app().test(.router) { client in
            let refused = try await client.send(
                .post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": ["ok", accents]])
            #expect(refused.status == .badRequest)
            let error = try refused.apiError()
            #expect(error.field == "inputs[1]")
            #expect(error.message == "inputs[1] has 12 characters, more than the limit of 10")
            let fits = try await client.send(.post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": ["abcdefghij"]])
            #expect(fits.status == .ok)
        }
    }

    /// Path parameters reached the controllers percent-encoded (the 400 for a bad collection name
    /// quoted `%F2%B8…`), so an entry whose id needs encoding could never be deleted.
    @Test func pathParametersArePercentDecoded() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let id = "a b/é"
        try await fixture.app().test(.router) { client in
            #expect(try await client.send(.put, "/v1/collections/c", key: fixture.writeKey, json: ["model": "mini"]).status == .created)
            let added = try await client.send(
                .post, "/v1/collections/c/entries", key: fixture.writeKey, json: ["entries": [["id": id, "text": "hello"]]])
            #expect(added.status == .ok)
            let deleted = try await client.send(.delete, "/v1/collections/c/entries/a%20b%2F%C3%A9", key: fixture.writeKey)
            #expect(deleted.status == .noContent)
            let listed = try await client.send(.get, "/v1/collections/c/entries", key: fixture.readKey)
            #expect((try listed.object()["entries"] as? [Any])?.isEmpty == true)
            let bad = try await client.send(.get, "/v1/collections/%E2%28", key: fixture.readKey)
            #expect(bad.status == .badRequest)
            #expect(try bad.apiError().field == "name")
            let invalid = try await client.send(.put, "/v1/collections/b%C3%A9", key: fixture.writeKey, json: ["model": "mini"])
            #expect(try invalid.apiError().message.contains("\"bé\""), "the name is quoted decoded")
        }
    }
}
