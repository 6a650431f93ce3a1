import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/models/{name}/retrain` on an embedder as a background job, while
/// clients keep asking the assistant collection it serves: the job swaps the
/// version, the collection is re-embedded with it, and no ask fails.
@Suite(.serialized) struct EmbedderRetrainEndpointTests {
    @Test func retrainingTheAssistantsEmbedderSwapsVersionsWithNoFailedAsk() async throws {
        let fixture = try await ServerFixture { config in
            config.retrain = EmbedderRetrainingTests.options
            config.retrain.margin = 1  // this test is about the swap, so the guard lets it through
            config.rateLimitPerSecond = 1e6
            config.rateLimitBurst = 1e6
        }
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let entries: [[String: Any]] = EmbedderRetrainingTests.entries.map {
            ["id": $0.id, "question": $0.question, "answer": $0.answer, "alternatives": $0.alternatives]
        }
        let collection = String(
            decoding: try JSONSerialization.data(withJSONObject: ["model": "mini", "threshold": 0, "entries": entries]), as: UTF8.self)
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let created = try await client.send(.put, "/v1/assistant/faq", key: fixture.writeKey, raw: collection)
            #expect(created.status == .created, "\(String(buffer: created.body))")
            for (query, entry) in EmbedderRetrainingTests.accepted {
                let r = try await client.send(
                    .post, "/v1/feedback", key: fixture.writeKey, json: ["collection": "faq", "query": query, "entry": entry])
                #expect(r.status == .created, "\(String(buffer: r.body))")
            }
            // Clients ask on their own connections from before the job starts until a while after it ended.
            let questions = EmbedderRetrainingTests.entries.map(\.question)
            let failures = AckedIDs(), answered = AckedIDs()
            let done = Flag()
            let clients = (0..<4).map { c in
                Task {
                    var i = 0
                    while !done.isSet {
                        i += 1
                        do {
                            let reply = try await LoopbackHTTP.post(
                                port: port, "/v1/assistant/faq/ask", key: fixture.readKey,
                                json: ["query": questions[c], "session": "client-\(c)"])
                            if reply.status == 200 {
                                answered.add("\(c)-\(i)")
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
            #expect(try await client.send(.post, "/v1/models/mini/retrain", key: fixture.writeKey).status == .forbidden)
            let started = try await client.send(.post, "/v1/models/mini/retrain", key: fixture.adminKey)
            #expect(started.status == .accepted, "\(String(buffer: started.body))")
            let id = try #require(try started.object()["id"] as? String)
            var job: [String: Any] = [:]
            let deadline = Date().addingTimeInterval(300)
            repeat {
                try await Task.sleep(nanoseconds: 200_000_000)
                job = try await client.send(.get, "/v1/jobs/\(id)", key: fixture.readKey).object()
            } while job["state"] as? String == "running" && Date() < deadline
            try await Task.sleep(nanoseconds: UInt64(ModelRegistry.retireGraceSeconds * 1.5 * 1e9))
            done.set()
            for c in clients { await c.value }
            #expect(job["state"] as? String == "succeeded", "\(job)")
            let outcome = try #require(job["outcome"] as? [String: Any])
            #expect(outcome["activated"] as? Bool == true)
            #expect((outcome["reason"] as? String)?.hasSuffix("re-embedded 1 collection with version 2") == true, "\(outcome)")
            #expect(failures.all.isEmpty, "failed during the swap: \(failures.all.sorted().prefix(5))")
            #expect(answered.all.count > 4, "the clients kept asking (\(answered.all.count) answers)")
            let models = try #require(
                try await client.send(.get, "/v1/models", key: fixture.readKey).object()["models"] as? [[String: Any]])
            #expect(models.first { $0["name"] as? String == "mini" }?["active_version"] as? Int == 2)
            // Every entry's own question is still answered by it, and so are the accepted queries.
            for (query, entry) in zip(questions, EmbedderRetrainingTests.entries.map(\.id)) + EmbedderRetrainingTests.accepted {
                let r = try await client.send(
                    .post, "/v1/assistant/faq/ask", key: fixture.readKey, json: ["query": query, "session": "after"])
                #expect(try r.object()["entry"] as? String == entry, "\(query)")
            }
            let report = try await client.send(.get, "/v1/models/mini/versions/2/report", key: fixture.readKey)
            #expect(report.status == .ok)
            #expect(
                try contract.violations(
                    method: "GET", path: "/v1/models/{name}/versions/{version}/report", status: 200,
                    contentType: report.headers[.contentType], body: Array(buffer: report.body)
                ).isEmpty)
            let body = try report.object()
            #expect(body["metric"] as? String == "hit_at_1" && body["new_version"] as? Int == 2)
            #expect((body["new"] as? [String: Any])?["feedback_mrr_at_10"] is Double)
        }
    }
}
