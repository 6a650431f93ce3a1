import FinchApps
import FinchServer
import FinchTrain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/models/{name}/retrain` as a background job, followed through
/// `GET /v1/jobs/{id}`, while clients keep classifying: no request fails
/// during the swap.
@Suite(.serialized) struct RetrainEndpointTests {
    @Test func retrainJobSwapsVersionsWithNoFailedRequest() async throws {
        let trainingRoot = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: trainingRoot) }
        let trained = try RetrainingTests.trainedClassifier(in: trainingRoot)
        let fixture = try await ServerFixture { config in
            config.models = [.init(name: "sentiment", path: trained.path)]
            config.retrain = RetrainingTests.options
            config.retrain.margin = 1  // this test is about the swap, so the guard lets it through
            config.rateLimitPerSecond = 1e6
            config.rateLimitBurst = 1e6
        }
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let texts = RetrainingTests.neutralTexts
        let before = try FineTunedModel.load(trained).classify(texts.map { ($0, nil) }).map(\.label)
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            for (text, label) in zip(texts, before.map(RetrainingTests.flipped)) {
                let r = try await client.send(
                    .post, "/v1/feedback", key: fixture.writeKey, json: ["model": "sentiment", "input": text, "label": label])
                #expect(r.status == .created)
            }
            // Clients classify on their own connections from before the job starts until a while after it ended.
            let failures = AckedIDs(), versions = AckedIDs()
            let done = Flag()
            let clients = (0..<4).map { c in
                Task {
                    var i = 0
                    while !done.isSet {
                        i += 1
                        do {
                            let reply = try await LoopbackHTTP.post(
                                port: port, "/v1/classify", key: fixture.readKey, json: ["model": "sentiment", "inputs": [texts[c]]])
                            if reply.status == 200 {
                                versions.add(String(describing: try reply.object()["version"] ?? "?"))
                            } else {
                                failures.add("\(c)-\(i): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
                            }
                        } catch {
                            failures.add("\(c)-\(i): \(error)")
                        }
                    }
                }
            }
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect(try await client.send(.post, "/v1/models/sentiment/retrain", key: fixture.writeKey).status == .forbidden)
            let started = try await client.send(.post, "/v1/models/sentiment/retrain", key: fixture.adminKey)
            #expect(started.status == .accepted, "\(String(buffer: started.body))")
            #expect(
                try contract.violations(
                    method: "POST", path: "/v1/models/{name}/retrain", status: 202, contentType: started.headers[.contentType],
                    body: Array(buffer: started.body)
                ).isEmpty)
            let id = try #require(try started.object()["id"] as? String)
            let again = try await client.send(.post, "/v1/models/sentiment/retrain", key: fixture.adminKey)
            #expect(again.status == .conflict)

            var job: [String: Any] = [:]
            let deadline = Date().addingTimeInterval(300)
            repeat {
                try await Task.sleep(nanoseconds: 200_000_000)
                let polled = try await client.send(.get, "/v1/jobs/\(id)", key: fixture.readKey)
                #expect(
                    try contract.violations(
                        method: "GET", path: "/v1/jobs/{id}", status: 200, contentType: polled.headers[.contentType],
                        body: Array(buffer: polled.body)
                    ).isEmpty)
                job = try polled.object()
            } while job["state"] as? String == "running" && Date() < deadline
            try await Task.sleep(nanoseconds: UInt64(ModelRegistry.retireGraceSeconds * 1.5 * 1e9))
            done.set()
            for c in clients { await c.value }
            #expect(job["state"] as? String == "succeeded", "\(job)")
            let outcome = try #require(job["outcome"] as? [String: Any])
            #expect(outcome["activated"] as? Bool == true)
            #expect(failures.all.isEmpty, "failed during the swap: \(failures.all.sorted().prefix(5))")
            #expect(versions.all == ["1", "2"], "answered by versions \(versions.all.sorted())")
            let models = try #require(
                try await client.send(.get, "/v1/models", key: fixture.readKey).object()["models"] as? [[String: Any]])
            #expect(models.first { $0["name"] as? String == "sentiment" }?["active_version"] as? Int == 2)
            let answer = try await client.send(.post, "/v1/classify", key: fixture.readKey, json: ["model": "sentiment", "inputs": texts])
            let labels = try #require(try answer.object()["results"] as? [[[String: Any]]]).map { $0.first?["label"] as? String }
            #expect(labels == before.map(RetrainingTests.flipped))

            let report = try await client.send(.get, "/v1/models/sentiment/versions/2/report", key: fixture.readKey)
            #expect(report.status == .ok)
            #expect(
                try contract.violations(
                    method: "GET", path: "/v1/models/{name}/versions/{version}/report", status: 200,
                    contentType: report.headers[.contentType], body: Array(buffer: report.body)
                ).isEmpty)
            #expect(try report.object()["new_version"] as? Int == 2)
            let none = try await client.send(.get, "/v1/models/sentiment/versions/1/report", key: fixture.readKey)
            #expect(none.status == .notFound)
            let list = try await client.send(.get, "/v1/jobs", key: fixture.readKey)
            #expect(
                try contract.violations(
                    method: "GET", path: "/v1/jobs", status: 200, contentType: list.headers[.contentType], body: Array(buffer: list.body)
                ).isEmpty)
            #expect(try await client.send(.get, "/v1/jobs/nope", key: fixture.readKey).status == .notFound)
        }
    }
}

/// Ids or messages collected from concurrent tasks.
final class AckedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<String>()
    func add(_ id: String) { lock.withLock { _ = ids.insert(id) } }
    var all: Set<String> { lock.withLock { ids } }
}

/// A flag set once, read from several tasks.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
