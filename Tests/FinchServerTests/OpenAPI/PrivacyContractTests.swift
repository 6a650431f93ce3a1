import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The consent, erasure and audit routes answer as `openapi.yaml` documents them.
@Suite struct PrivacyContractTests {
    @Test func privacyResponsesConformToTheDocument() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let (read, write, admin) = (fixture.readKey, fixture.writeKey, fixture.adminKey)
        typealias Call = OpenAPIRouteContractTests.Call
        let steps: [Call] = [
            Call(method: .get, uri: "/v1/users/ann/consent", template: "/v1/users/{id}/consent", key: read, json: nil, status: 200),
            Call(
                method: .put, uri: "/v1/users/ann/consent", template: "/v1/users/{id}/consent", key: write,
                json: ["personalization": false], status: 200),
            Call(
                method: .put, uri: "/v1/users/ann/consent", template: "/v1/users/{id}/consent", key: write,
                json: ["personalization": "yes"], status: 400),
            Call(
                method: .put, uri: "/v1/users/ann/consent", template: "/v1/users/{id}/consent", key: read, json: ["personalization": false],
                status: 403),
            Call(method: .get, uri: "/v1/users/ann/consent", template: "/v1/users/{id}/consent", key: nil, json: nil, status: 401),
            Call(method: .post, uri: "/v1/keys", template: "/v1/keys", key: admin, json: ["scope": "read"], status: 201),
            Call(method: .get, uri: "/v1/audit", template: "/v1/audit", key: admin, json: nil, status: 200),
            Call(method: .get, uri: "/v1/audit?after=0&limit=1", template: "/v1/audit", key: admin, json: nil, status: 200),
            Call(method: .get, uri: "/v1/audit?limit=5000", template: "/v1/audit", key: admin, json: nil, status: 400),
            Call(method: .get, uri: "/v1/audit", template: "/v1/audit", key: read, json: nil, status: 403),
            Call(method: .get, uri: "/v1/audit/verify", template: "/v1/audit/verify", key: admin, json: nil, status: 200),
            Call(method: .delete, uri: "/v1/users/ann", template: "/v1/users/{id}", key: admin, json: nil, status: 200),
            Call(method: .delete, uri: "/v1/users/ann", template: "/v1/users/{id}", key: write, json: nil, status: 403),
        ]
        let app = try await fixture.app()
        try await app.test(.router) { client in
            for step in steps {
                let response = try await client.send(step.method, step.uri, key: step.key, json: step.json)
                #expect(Int(response.status.code) == step.status, "\(step): \(String(buffer: response.body).prefix(300))")
                let problems = try contract.violations(
                    method: step.method.rawValue, path: step.template, status: Int(response.status.code),
                    contentType: response.headers[.contentType], body: Array(buffer: response.body))
                #expect(problems.isEmpty, "\(step): \(problems)")
            }
        }
    }
}
