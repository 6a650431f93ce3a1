import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The monitor's routes answer as `openapi.yaml` documents them (success and error paths).
@Suite struct MonitorContractTests {
    @Test func monitorResponsesConformToTheDocument() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let (read, write, admin) = (fixture.readKey, fixture.writeKey, fixture.adminKey)
        typealias Call = OpenAPIRouteContractTests.Call
        let config: [String: Any] = ["sentiment_model": "sentiment", "bucket": "hour", "watchlist": ["ACME": ["ACM"]]]
        let docs: [String: Any] = [
            "documents": [
                ["id": "1", "text": "ACM fell", "time": "2026-03-01T10:15:00Z"],
                ["id": "2", "text": "ACME rose", "time": "2026-03-01T11:15:00.250Z", "source": "wire", "url": "https://x.test/2"],
            ]
        ]
        let rule: [String: Any] = ["name": "neg", "metric": "negative_share", "detector": "ewma_z"]
        let m = "/v1/monitors/{name}"
        let steps: [Call] = [
            Call(method: .put, uri: "/v1/monitors/news", template: m, key: admin, json: config, status: 201),
            Call(method: .put, uri: "/v1/monitors/news", template: m, key: admin, json: config, status: 200),
            Call(method: .put, uri: "/v1/monitors/news", template: m, key: admin, json: ["bucket": "hour"], status: 400),
            Call(method: .put, uri: "/v1/monitors/news", template: m, key: read, json: config, status: 403),
            Call(method: .get, uri: "/v1/monitors", template: "/v1/monitors", key: read, json: nil, status: 200),
            Call(method: .get, uri: "/v1/monitors/news", template: m, key: read, json: nil, status: 200),
            Call(method: .get, uri: "/v1/monitors/none", template: m, key: read, json: nil, status: 404),
            Call(method: .post, uri: "/v1/monitors/news/documents", template: m + "/documents", key: write, json: docs, status: 200),
            Call(
                method: .post, uri: "/v1/monitors/news/documents", template: m + "/documents", key: write, json: ["documents": "x"],
                status: 400),
            Call(
                method: .get, uri: "/v1/monitors/news/documents?entity=ACME", template: m + "/documents", key: read, json: nil, status: 200),
            Call(method: .get, uri: "/v1/monitors/news/documents?limit=0", template: m + "/documents", key: read, json: nil, status: 400),
            Call(
                method: .get, uri: "/v1/monitors/news/trends?entity=ACME&bucket=day", template: m + "/trends", key: read, json: nil,
                status: 200),
            Call(method: .get, uri: "/v1/monitors/news/trends?bucket=minute", template: m + "/trends", key: read, json: nil, status: 400),
            Call(method: .post, uri: "/v1/monitors/news/rules", template: m + "/rules", key: admin, json: rule, status: 201),
            Call(method: .post, uri: "/v1/monitors/news/rules", template: m + "/rules", key: admin, json: ["name": "x"], status: 400),
            Call(method: .put, uri: "/v1/monitors/news/rules/neg", template: m + "/rules/{rule}", key: admin, json: rule, status: 200),
            Call(method: .get, uri: "/v1/monitors/news/rules", template: m + "/rules", key: read, json: nil, status: 200),
            Call(method: .delete, uri: "/v1/monitors/news/rules/neg", template: m + "/rules/{rule}", key: admin, json: nil, status: 204),
            Call(method: .delete, uri: "/v1/monitors/news/rules/neg", template: m + "/rules/{rule}", key: admin, json: nil, status: 404),
            Call(method: .get, uri: "/v1/monitors/news/alerts", template: m + "/alerts", key: read, json: nil, status: 200),
            Call(method: .get, uri: "/v1/monitors/news/alerts?state=maybe", template: m + "/alerts", key: read, json: nil, status: 400),
            Call(method: .get, uri: "/v1/monitors/none/events", template: m + "/events", key: read, json: nil, status: 404),
            Call(
                method: .post, uri: "/v1/monitors/news/webhooks", template: m + "/webhooks", key: admin,
                json: ["url": "http://127.0.0.1:9/hook", "secret": "s"], status: 201),
            Call(
                method: .post, uri: "/v1/monitors/news/webhooks", template: m + "/webhooks", key: admin,
                json: ["url": "ftp://x", "secret": "s"], status: 400),
            Call(method: .get, uri: "/v1/monitors/news/webhooks", template: m + "/webhooks", key: admin, json: nil, status: 200),
            Call(method: .get, uri: "/v1/monitors/news/webhooks", template: m + "/webhooks", key: read, json: nil, status: 403),
            Call(
                method: .get, uri: "/v1/monitors/news/webhooks/none/deliveries", template: m + "/webhooks/{id}/deliveries", key: admin,
                json: nil, status: 404),
            Call(
                method: .delete, uri: "/v1/monitors/news/webhooks/none", template: m + "/webhooks/{id}", key: admin, json: nil, status: 404),
            Call(method: .delete, uri: "/v1/monitors/news", template: m, key: admin, json: nil, status: 204),
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
