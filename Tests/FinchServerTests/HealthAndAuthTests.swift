import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HealthAndAuthTests {
    @Test func healthAndReadinessNeedNoKey() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let health = try await client.send(.get, "/healthz", key: nil)
            #expect(health.status == .ok)
            #expect(try health.object()["status"] as? String == "ok")
            let ready = try await client.send(.get, "/readyz", key: nil)
            #expect(ready.status == .ok)
            #expect(try ready.object()["status"] as? String == "ready")
            #expect(try ready.object()["models"] as? Int == 3)
        }
    }

    @Test func missingMalformedUnknownAndRevokedKeysGet401() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let (revoked, record) = APIKeyHasher.generate(name: "gone", scope: .admin)
        try await fixture.store.insert(record)
        _ = try await fixture.store.revoke(id: record.id, at: Date())
        let unknown = APIKeyHasher.generate(name: "never stored", scope: .admin).key
        try await fixture.app().test(.router) { client in
            let body: [String: Any] = ["model": "mini", "inputs": ["hello"]]
            for (key, message) in [
                (nil, "missing Authorization"), ("not-a-finch-key", "not Bearer"), (unknown, "unknown API key"),
                (revoked, "revoked"),
            ] as [(String?, String)] {
                let r = try await client.send(.post, "/v1/embed", key: key, json: body)
                #expect(r.status == .unauthorized)
                let error = try r.apiError()
                #expect(error.code == "unauthorized")
                #expect(error.message.contains(message), "\(error.message)")
                #expect(error.field == "Authorization")
            }
            // A right id with a wrong secret is unknown too.
            let forged = fixture.readKey.dropLast(3) + "AAA"
            #expect(try await client.send(.get, "/v1/models", key: String(forged)).status == .unauthorized)
        }
    }

    @Test func wrongScopeGets403() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(.post, "/v1/models", key: fixture.readKey, json: ["name": "x", "path": "/nowhere"])
            #expect(r.status == .forbidden)
            let error = try r.apiError()
            #expect(error.code == "forbidden")
            #expect(error.message.contains("scope admin"))
            let w = try await client.send(.put, "/v1/collections/faq", key: fixture.readKey, json: ["model": "mini"])
            #expect(w.status == .forbidden)
            // write covers read
            #expect(try await client.send(.get, "/v1/models", key: fixture.writeKey).status == .ok)
        }
    }

    @Test func rateLimitGives429WithRetryAfter() async throws {
        let fixture = try await ServerFixture { config in
            config.rateLimitPerSecond = 0.01
            config.rateLimitBurst = 2
        }
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            #expect(try await client.send(.get, "/v1/models", key: fixture.readKey).status == .ok)
            #expect(try await client.send(.get, "/v1/models", key: fixture.readKey).status == .ok)
            let limited = try await client.send(.get, "/v1/models", key: fixture.readKey)
            #expect(limited.status == .tooManyRequests)
            #expect(try limited.apiError().code == "rate_limited")
            let retry = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect(retry >= 1)
            // Buckets are per key.
            #expect(try await client.send(.get, "/v1/models", key: fixture.writeKey).status == .ok)
        }
    }

    @Test func unknownRouteIs404InTheErrorShape() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(.get, "/v1/nothing-here", key: fixture.readKey)
            #expect(r.status == .notFound)
            #expect(try r.apiError().code == "not_found")
        }
    }

    @Test func oneJSONLogLinePerRequestWithKeyIDButNoKeyOrText() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let secretText = "a very private sentence"
        try await fixture.app().test(.router) { client in
            let r = try await client.send(.post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": [secretText]])
            #expect(r.status == .ok)
            #expect(r.headers[.init("x-request-id")!] != nil)
        }
        let requestLines = fixture.logLines.all.filter { $0.contains("\"message\":\"request\"") }
        let line = try #require(requestLines.last)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["route"] as? String == "/v1/embed")
        #expect(object["status"] as? String == "200")
        #expect(object["key_id"] as? String == APIKeyHasher.parse(fixture.readKey)?.id)
        #expect(object["request_id"] != nil)
        #expect(Double(object["duration_ms"] as? String ?? "") != nil)
        for l in fixture.logLines.all {
            #expect(!l.contains(fixture.readKey))
            #expect(!l.contains(secretText))
        }
    }

    @Test func storeHoldsNoKeyInClearText() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let dir = URL(fileURLWithPath: fixture.configuration.dataDirectory)
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            bytes.append(try Data(contentsOf: dir.appendingPathComponent(file)))
        }
        #expect(bytes.count > 0)
        for key in [fixture.readKey, fixture.writeKey, fixture.adminKey] {
            let secret = try #require(APIKeyHasher.parse(key)?.secret)
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the secret of a key is in the database file")
            #expect(bytes.range(of: Data(key.utf8)) == nil)
            // ... while the public id is there (so the grep can find things).
            #expect(bytes.range(of: Data(APIKeyHasher.parse(key)!.id.utf8)) != nil)
        }
    }
}
