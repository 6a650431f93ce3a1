import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/redact`: the same redaction as `finch redact`, over HTTP.
@Suite struct RedactEndpointTests {
    @Test func redactsWithOffsetsTypesAndOperators() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(
                .post, "/v1/redact", key: fixture.readKey,
                json: ["inputs": ["😀 手机13812345678, card 4111111111111111", "nothing"], "operators": ["CREDIT_CARD": "mask:4"]])
            #expect(r.status == .ok)
            let results = try #require(try r.object()["results"] as? [[String: Any]])
            #expect(results.map { $0["text"] as? String } == ["😀 手机<PHONE_NUMBER>, card ************1111", "nothing"])
            let entities = try #require(results[0]["entities"] as? [[String: Any]])
            #expect(entities.map { $0["type"] as? String } == ["PHONE_NUMBER", "CREDIT_CARD"])
            #expect(entities.map { $0["start"] as? Int } == [4, 22])
            #expect(entities.map { $0["end"] as? Int } == [15, 38])
            let only = try await client.send(
                .post, "/v1/redact", key: fixture.readKey,
                json: ["inputs": "ann@x.io 10.0.0.1", "types": ["IP_ADDRESS"], "operator": "remove"])
            #expect((try only.object()["results"] as? [[String: Any]])?.first?["text"] as? String == "ann@x.io ")
        }
    }

    @Test func badRequestsNameTheField() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            for (json, field) in [
                (["inputs": "x", "types": ["EMAIL"]] as [String: Any], "types"), (["inputs": "x", "operator": "blur"], "operator"),
                (["inputs": "x", "operators": ["URL": "hash"]], "operators"), (["inputs": [String]()], "inputs"),
            ] {
                let r = try await client.send(.post, "/v1/redact", key: fixture.readKey, json: json)
                #expect(r.status == .badRequest, "\(json)")
                let error = try r.apiError()
                #expect(error.field == field, "\(json): \(error)")
            }
            let anonymous = try await client.send(.post, "/v1/redact", key: nil, json: ["inputs": "x"])
            #expect(anonymous.status == .unauthorized)
        }
    }
}
