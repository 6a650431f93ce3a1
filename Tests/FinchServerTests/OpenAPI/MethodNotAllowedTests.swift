import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A method a path does not declare gets 405 with an `Allow` header listing the methods
/// `openapi.yaml` declares for that path, and a body in the document's `MethodNotAllowed` shape;
/// a path the document does not have stays 404. Hummingbird's router alone answers 404 for both.
@Suite struct MethodNotAllowedTests {
    static let methods: [HTTPRequest.Method] = [.get, .put, .post, .delete, .patch]

    /// `/v1/collections/{name}` → `/v1/collections/p1`: a concrete path for a template.
    static func concrete(_ template: String) -> String { template.replacing(/\{[^}]*\}/, with: "p1") }

    @Test func everyUndeclaredMethodOfEveryDocumentedPathAnswers405WithAllow() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let validator = JSONSchemaValidator(document: contract.document)
        let shape = try #require(
            contract.document["components"]?["responses"]?["MethodNotAllowed"]?["content"]?["application/json"]?["schema"])
        #expect(contract.document["components"]?["responses"]?["MethodNotAllowed"]?["headers"]?["Allow"] != nil)
        let declared = Dictionary(grouping: contract.operations, by: \.path).mapValues { Set($0.map(\.method)) }
        let app = try await fixture.app()
        let checked = try await app.test(.router) { client in
            var checked = 0
            for (template, allowed) in declared.sorted(by: { $0.key < $1.key }) {
                let uri = Self.concrete(template)
                for method in Self.methods where !allowed.contains(method.rawValue) {
                    // With a valid admin key, so that nothing but the method can be at fault.
                    let response = try await client.send(method, uri, key: fixture.adminKey, json: method == .get ? nil : ["model": "mini"])
                    #expect(response.status == .methodNotAllowed, "\(method) \(uri): \(response.status)")
                    #expect(response.headers[.allow] == allowed.sorted().joined(separator: ", "), "\(method) \(uri)")
                    let error = try response.apiError()
                    #expect(error.code == "method_not_allowed")
                    #expect(error.message.contains(method.rawValue) && error.message.contains(template), "\(error.message)")
                    let body = try JSONDecoder().decode(ContractValue.self, from: Data(buffer: response.body))
                    #expect(try validator.violations(of: body, against: shape) == [], "\(method) \(uri)")
                    checked += 1
                }
            }
            // A path no route has stays 404, whatever the method; so does a declared method on a missing resource.
            for method in Self.methods {
                let response = try await client.send(method, "/v1/no-such-route", key: fixture.adminKey)
                #expect(response.status == .notFound, "\(method) /v1/no-such-route")
                #expect(response.headers[.allow] == nil)
            }
            let tooDeep = try await client.send(.post, "/v1/embed/extra", key: fixture.readKey, json: ["model": "mini"])
            #expect(tooDeep.status == .notFound)
            let missing = try await client.send(.get, "/v1/collections/none", key: fixture.readKey)
            #expect(missing.status == .notFound)
            #expect(try missing.apiError().code == "collection_not_found")
            // Without a key the answer is still about the method: the path's routes never ran.
            let anonymous = try await client.send(.get, "/v1/embed", key: nil)
            #expect(anonymous.status == .methodNotAllowed)
            #expect(anonymous.headers[.allow] == "POST")
            return checked
        }
        #expect(checked >= 80, "only \(checked) undeclared method/path pairs were tried")
    }

    @Test func the405IsLoggedAndCountedUnderTheRouteTemplate() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let app = try await fixture.app()
        try await app.test(.router) { client in
            let response = try await client.send(.delete, "/v1/models/mini/versions/3/activate", key: fixture.adminKey)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "POST")
        }
        let lines = try fixture.logLines.all.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let line = try #require(lines.last { $0["status"] as? String == "405" })
        #expect(line["route"] as? String == "/v1/models/{name}/versions/{version}/activate", "\(line)")
        #expect(line["method"] as? String == "DELETE")
    }
}
