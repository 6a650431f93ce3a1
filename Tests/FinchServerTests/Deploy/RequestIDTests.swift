import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `X-Request-Id`: a valid id from the client (or nginx) is kept — echoed in the response, written in
/// the access log line and in the request's other log lines; a missing, too long or malformed one
/// is replaced by a generated id.
@Suite struct RequestIDTests {
    @Test func validIDsAreKeptAndBadOnesReplaced() {
        #expect(RequestID.accepted("3f2a9c0e7b1d4e5f8a6b9c0d1e2f3a4b") == "3f2a9c0e7b1d4e5f8a6b9c0d1e2f3a4b")
        #expect(RequestID.accepted("trace-01:span_2.x") == "trace-01:span_2.x")
        #expect(RequestID.accepted(String(repeating: "a", count: RequestID.maxLength)) != nil)
        #expect(RequestID.accepted(String(repeating: "a", count: RequestID.maxLength + 1)) == nil)
        for bad in [nil, "", "has space", "new\nline", "quote\"", "é", "{\"json\":1}", "a/b"] {
            #expect(RequestID.accepted(bad) == nil, "\(String(describing: bad))")
        }
    }

    static func requestLine(_ fixture: ServerFixture, id: String) throws -> [String: Any]? {
        for line in fixture.logLines.all where line.contains("\"message\":\"request\"") && line.contains(id) {
            return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        return nil
    }

    @Test func theClientsIDIsEchoedAndLogged() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let given = "nginx-\(UUID().uuidString.lowercased())"
        try await fixture.app().test(.router) { client in
            let r = try await client.execute(
                uri: "/v1/models", method: .get, headers: [.authorization: "Bearer \(fixture.readKey)", RequestID.header: given])
            #expect(r.status == .ok)
            #expect(r.headers[RequestID.header] == given)
            // Errors carry it too (an unknown key is refused before any handler runs).
            let refused = try await client.execute(
                uri: "/v1/models", method: .get, headers: [.authorization: "Bearer finch_nope_nope", RequestID.header: given + "-2"])
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[RequestID.header] == given + "-2")
        }
        let line = try #require(try Self.requestLine(fixture, id: given))
        #expect(line["request_id"] as? String == given)
        #expect(line["route"] as? String == "/v1/models")
        #expect(line["status"] as? String == "200")
        #expect(try Self.requestLine(fixture, id: given + "-2")?["status"] as? String == "401")
    }

    @Test func aBadIDIsReplacedAndNeverLogged() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let bad = "evil id " + String(repeating: "x", count: 20)
        let long = String(repeating: "b", count: RequestID.maxLength + 1)
        try await fixture.app().test(.router) { client in
            var ids: Set<String> = []
            for given in [bad, long, nil] {
                var headers: HTTPFields = [.authorization: "Bearer \(fixture.readKey)"]
                if let given { headers[RequestID.header] = given }
                let r = try await client.execute(uri: "/v1/models", method: .get, headers: headers)
                #expect(r.status == .ok)
                let echoed = try #require(r.headers[RequestID.header])
                #expect(echoed != given && RequestID.accepted(echoed) == echoed, "a generated, valid id: \(echoed)")
                ids.insert(echoed)
                #expect(try Self.requestLine(fixture, id: echoed) != nil, "the log line has the id the response has")
            }
            #expect(ids.count == 3, "one id per request")
        }
        for line in fixture.logLines.all { #expect(!line.contains("evil id") && !line.contains(long)) }
    }
}
