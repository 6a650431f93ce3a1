import AsyncHTTPClient
import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The monitor's routes through the composition root, on the tiny models of `ServerFixture`
/// (`sentiment`: labels negative/neutral/positive; `ner`: a tagger).
@Suite struct MonitorEndpointTests {
    static var config: [String: Any] {
        ["sentiment_model": "sentiment", "bucket": "minute", "watchlist": ["ACME": ["Acme Corp", "ACM", "艾克米"], "Globex": ["GBX"]]]
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    static func documents(_ items: [(String, String, Date)]) -> [String: Any] {
        ["documents": items.map { ["id": $0.0, "text": $0.1, "time": iso($0.2), "source": "wire"] }]
    }

    @Test func monitorsAreCreatedIngestedQueriedAndDeleted() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let admin = fixture.adminKey, write = fixture.writeKey, read = fixture.readKey
            var r = try await client.send(.put, "/v1/monitors/news", key: admin, json: Self.config)
            #expect(r.status == .created, "\(String(buffer: r.body))")
            r = try await client.send(.put, "/v1/monitors/news", key: admin, json: Self.config)
            #expect(r.status == .ok)
            r = try await client.send(.put, "/v1/monitors/news", key: write, json: Self.config)
            #expect(r.status == .forbidden)
            var bad = Self.config
            bad["sentiment_model"] = "nope"
            r = try await client.send(.put, "/v1/monitors/other", key: admin, json: bad)
            #expect(r.status == .badRequest)
            #expect(try r.apiError().field == "sentiment_model")
            bad["sentiment_model"] = "ner"
            r = try await client.send(.put, "/v1/monitors/other", key: admin, json: bad)
            #expect(try r.apiError().field == "sentiment_model")
            bad = Self.config
            bad["name"] = "elsewhere"
            r = try await client.send(.put, "/v1/monitors/other", key: admin, json: bad)
            #expect(try r.apiError().field == "name")
            bad = Self.config
            bad["bucket"] = "week"
            r = try await client.send(.put, "/v1/monitors/other", key: admin, json: bad)
            #expect(try r.apiError().field == "bucket")

            let t0 = Date(timeIntervalSince1970: 1_700_000_000)  // 22:13:20 UTC: minute bucket 22:13
            let batch = Self.documents([
                ("1", "Acme Corp shares fell after the recall", t0),
                ("2", "GBX and ACM agree on a merger", t0.addingTimeInterval(30)),
                ("1", "a repeated id in the same batch", t0),
                ("3", "pineapple prices rose", t0.addingTimeInterval(75)),
            ])
            r = try await client.send(.post, "/v1/monitors/news/documents", key: write, json: batch)
            #expect(r.status == .ok, "\(String(buffer: r.body))")
            let results = try #require(try r.object()["results"] as? [[String: Any]])
            #expect(results.map { $0["new"] as? Bool } == [true, true, false, true])
            #expect(try r.object()["new"] as? Int == 3)
            r = try await client.send(.post, "/v1/monitors/news/documents", key: write, json: batch)
            #expect(try r.object()["new"] as? Int == 0)
            r = try await client.send(.post, "/v1/monitors/news/documents", key: read, json: batch)
            #expect(r.status == .forbidden)
            r = try await client.send(
                .post, "/v1/monitors/news/documents", key: write, json: ["documents": [["id": "x", "text": "t", "time": "yesterday"]]])
            #expect(try r.apiError().field == "documents[0].time")
            r = try await client.send(.post, "/v1/monitors/absent/documents", key: write, json: batch)
            #expect(r.status == .notFound)

            r = try await client.send(.get, "/v1/monitors/news/documents?entity=ACME", key: read)
            let acme = try #require(try r.object()["documents"] as? [[String: Any]])
            #expect(acme.map { $0["id"] as? String } == ["2", "1"])  // newest first
            let second = try #require(acme.first)
            #expect(Set(second["entities"] as? [String] ?? []) == ["ACME", "Globex"])
            #expect(["negative", "neutral", "positive"].contains(second["polarity"] as? String ?? ""))
            r = try await client.send(
                .get, "/v1/monitors/news/documents?entity=Globex&from=\(Self.iso(t0.addingTimeInterval(31)))", key: read)
            #expect(try (r.object()["documents"] as? [Any])?.count == 0)
            r = try await client.send(.get, "/v1/monitors/news/documents?sentiment=angry", key: read)
            #expect(try r.apiError().field == "sentiment")

            r = try await client.send(.get, "/v1/monitors/news/trends?entity=ACME", key: read)
            let series = try #require(try r.object()["series"] as? [[String: Any]])
            let buckets = try #require(series.first?["buckets"] as? [[String: Any]])
            #expect(buckets.count == 1 && buckets[0]["count"] as? Int == 2)
            r = try await client.send(.get, "/v1/monitors/news/trends?entity=*&bucket=hour", key: read)
            let overall = try #require((try r.object()["series"] as? [[String: Any]])?.first?["buckets"] as? [[String: Any]])
            #expect(overall.map { $0["count"] as? Int } == [3])  // minutes 22:13 and 22:14 summed into one hour
            r = try await client.send(.get, "/v1/monitors/news/trends", key: read)
            #expect(try (r.object()["series"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["ACME", "Globex"])
            r = try await client.send(.get, "/v1/monitors/news/trends?bucket=second", key: read)
            #expect(try r.apiError().field == "bucket")

            r = try await client.send(.get, "/v1/monitors", key: read)
            #expect(try (r.object()["monitors"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["news"])
            r = try await client.send(.delete, "/v1/monitors/news", key: admin)
            #expect(r.status == .noContent)
            r = try await client.send(.get, "/v1/monitors/news", key: read)
            #expect(r.status == .notFound)
            #expect(try r.apiError().code == "monitor_not_found")
            let trail = try await StoreAuditTrail(repository: fixture.store.privacy).entries(after: 0, limit: 100).map(\.action)
            #expect(trail.filter { $0 == "monitor.put" }.count == 2 && trail.contains("monitor.delete"))
        }
    }

    @Test func ruleValidationErrorsNameTheField() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let admin = fixture.adminKey
            _ = try await client.send(.put, "/v1/monitors/news", key: admin, json: Self.config)
            let good: [String: Any] = ["name": "neg", "metric": "negative_share", "detector": "ewma_z", "z": 3, "min_count": 10]
            let cases: [([String: Any], String)] = [
                (["name": "a", "metric": "anger", "detector": "ewma_z"], "metric"),
                (["name": "a", "metric": "volume", "detector": "psychic"], "detector"),
                (["name": "a", "metric": "volume", "detector": "threshold"], "threshold"),
                (["name": "a", "metric": "negative_share", "detector": "threshold", "threshold": 1.5], "threshold"),
                (["name": "a", "metric": "volume", "detector": "ewma_z", "halflife": -1], "halflife"),
                (["name": "a", "metric": "volume", "detector": "ewma_z", "min_count": "many"], "min_count"),
                (["metric": "volume", "detector": "ewma_z"], "name"),
            ]
            for (body, field) in cases {
                let r = try await client.send(.post, "/v1/monitors/news/rules", key: admin, json: body)
                #expect(r.status == .badRequest, "\(body)")
                #expect(try r.apiError().field == field, "\(body): \(String(buffer: r.body))")
            }
            var r = try await client.send(.post, "/v1/monitors/news/rules", key: admin, json: good)
            #expect(r.status == .created)
            r = try await client.send(.put, "/v1/monitors/news/rules/neg", key: admin, json: good.merging(["z": 2.5]) { $1 })
            #expect(r.status == .ok)
            r = try await client.send(.put, "/v1/monitors/news/rules/other", key: admin, json: good)
            #expect(try r.apiError().field == "name")
            r = try await client.send(.put, "/v1/monitors/news/rules/neg", key: fixture.writeKey, json: good)
            #expect(r.status == .forbidden)
            r = try await client.send(.get, "/v1/monitors/news/rules", key: fixture.readKey)
            let rules = try #require(try r.object()["rules"] as? [[String: Any]])
            #expect(rules.count == 1 && rules[0]["z"] as? Double == 2.5 && rules[0]["entity"] as? String == "*")
            r = try await client.send(.delete, "/v1/monitors/news/rules/neg", key: admin)
            #expect(r.status == .noContent)
            r = try await client.send(.delete, "/v1/monitors/news/rules/neg", key: admin)
            #expect(r.status == .notFound)
            #expect(try r.apiError().code == "rule_not_found")
        }
    }

    @Test func storedTextsAreRedacted() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            _ = try await client.send(.put, "/v1/monitors/news", key: fixture.adminKey, json: Self.config)
            let batch = Self.documents([("1", "ACME support wrote to ann.lee@example.com about the outage", Date())])
            let r = try await client.send(.post, "/v1/monitors/news/documents", key: fixture.writeKey, json: batch)
            #expect(r.status == .ok)
            let docs = try await client.send(.get, "/v1/monitors/news/documents", key: fixture.readKey)
            let text = try #require((try docs.object()["documents"] as? [[String: Any]])?.first?["text"] as? String)
            #expect(!text.contains("ann.lee@example.com"))
            let hits = try await StoreGrep.find(["ann.lee@example.com"], in: fixture.store)
            #expect(hits.isEmpty, "\(hits)")
        }
    }

    /// Documents of buckets that closed before they arrived (a backfill) are evaluated at the next
    /// tick, not only when the next bucket closes.
    @Test func aBackfilledBucketIsEvaluatedAtTheNextTick() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let options = MonitorOptions(graceSeconds: 0.1, tickSeconds: 0.1, clock: { Date().addingTimeInterval(3600) })
        let app = try await buildApplication(
            configuration: fixture.configuration, store: fixture.store, logSink: { _ in }, monitorOptions: options)
        try await app.test(.live) { client in
            _ = try await client.send(.put, "/v1/monitors/news", key: fixture.adminKey, json: Self.config)
            // Ticks pass with nothing to evaluate before the rule and the documents come.
            try await Task.sleep(nanoseconds: 300_000_000)
            let rule: [String: Any] = [
                "name": "busy", "entity": "ACME", "metric": "volume", "detector": "threshold", "threshold": 2, "min_count": 1,
            ]
            #expect(try await client.send(.post, "/v1/monitors/news/rules", key: fixture.adminKey, json: rule).status == .created)
            let old = BucketWidth.minute.start(of: Date()).addingTimeInterval(-600)
            let batch = Self.documents((0..<3).map { ("b\($0)", "ACM update \($0)", old.addingTimeInterval(Double($0))) })
            _ = try await client.send(.post, "/v1/monitors/news/documents", key: fixture.writeKey, json: batch)
            let alerted = try await WebhookDeliveryTests.waitUntil(3) {
                let r = try await client.send(.get, "/v1/monitors/news/alerts", key: fixture.readKey)
                return try (r.object()["alerts"] as? [Any])?.count == 1
            }
            #expect(alerted)
        }
    }

    /// A live server whose clock stands 5 s before a minute's end: documents of that minute, a
    /// volume rule that the minute crosses, a webhook and an SSE client. When the minute closes the
    /// alert reaches the SSE client within a second or so, and the webhook with a valid signature.
    @Test func anAlertReachesSSEAndWebhookWhenItsBucketCloses() async throws {
        let now = Date()
        let minuteEnd = BucketWidth.minute.next(after: BucketWidth.minute.start(of: now))
        let offset = minuteEnd.timeIntervalSince(now) - 5  // the shifted clock reads 5 s before a minute's end
        let shifted = minuteEnd.addingTimeInterval(-offset)  // that minute's end on the real clock
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let options = MonitorOptions(
            graceSeconds: 0.25, tickSeconds: 0.1, keepAliveSeconds: 0.5,
            retry: WebhookRetryPolicy(maxAttempts: 3, initialDelay: 0.05), clock: { Date().addingTimeInterval(offset) })
        let app = try await buildApplication(
            configuration: fixture.configuration, store: fixture.store, logSink: { _ in }, monitorOptions: options)
        let receiver = WebhookReceiver(secret: "hook-secret")
        try await receiver.run { (hookPort: Int) async throws -> Void in
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let admin = fixture.adminKey
                _ = try await client.send(.put, "/v1/monitors/news", key: admin, json: Self.config)
                let rule: [String: Any] = [
                    "name": "busy", "entity": "ACME", "metric": "volume", "detector": "threshold", "threshold": 3, "min_count": 1,
                ]
                var r = try await client.send(.post, "/v1/monitors/news/rules", key: admin, json: rule)
                #expect(r.status == .created)
                r = try await client.send(
                    .post, "/v1/monitors/news/webhooks", key: admin,
                    json: ["url": "http://127.0.0.1:\(hookPort)/hook", "secret": "hook-secret"])
                #expect(r.status == .created)
                let hookID = try #require(try r.object()["id"] as? String)
                #expect(try r.object()["secret"] == nil)

                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/monitors/news/events")
                request.headers.add(name: "Authorization", value: "Bearer \(fixture.readKey)")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(response.status.code == 200)
                #expect(response.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
                let reader = Task { () -> (text: String, alertAt: Date?) in
                    var text = ""
                    for try await chunk in response.body {
                        text += String(buffer: chunk)
                        if text.contains("event: alert") { return (text, Date()) }
                    }
                    return (text, nil)
                }
                let inMinute = minuteEnd.addingTimeInterval(-3)
                let batch = Self.documents((0..<4).map { ("d\($0)", "Acme Corp item \($0)", inMinute) })
                r = try await client.send(.post, "/v1/monitors/news/documents", key: fixture.writeKey, json: batch)
                #expect(try r.object()["new"] as? Int == 4)
                let timeout = Task {
                    try await Task.sleep(nanoseconds: 15_000_000_000)
                    reader.cancel()
                }
                let (text, alertAt) = try await reader.value
                timeout.cancel()
                let received = try #require(alertAt, "no alert event; stream: \(text)")
                let latency = received.timeIntervalSince(shifted)
                // grace 0.25 s + tick 0.1 s + the evaluation: well under 1 s on an idle machine (the bound at the
                // bucket's end itself is pinned by MonitorBucketCloseTests); loose here for loaded CI machines.
                #expect(latency < 3.0, "the alert came \(latency) s after its bucket closed")
                #expect(text.contains("event: document"))
                #expect(text.contains(#""entity":"ACME""#))

                r = try await client.send(.get, "/v1/monitors/news/alerts?state=open", key: fixture.readKey)
                let alerts = try #require(try r.object()["alerts"] as? [[String: Any]])
                #expect(alerts.count == 1)
                #expect(alerts.first?["rule"] as? String == "busy" && alerts.first?["count"] as? Int == 4)
                #expect((alerts.first?["driving_documents"] as? [[String: Any]])?.count == 4)

                let delivered = try await WebhookDeliveryTests.waitUntil(10) { receiver.requests.count == 1 }
                #expect(delivered)
                let hook = try #require(receiver.requests.first)
                #expect(hook.signatureValid)
                let body = try #require(try JSONSerialization.jsonObject(with: hook.body) as? [String: Any])
                #expect(body["event"] as? String == "alert" && body["monitor"] as? String == "news")
                #expect((body["alert"] as? [String: Any])?["entity"] as? String == "ACME")
                // The attempt is logged after the receiver's answer reaches the dispatcher: poll for it.
                var outcomes: [String?] = []
                let logged = try await WebhookDeliveryTests.waitUntil(10) {
                    r = try await client.send(.get, "/v1/monitors/news/webhooks/\(hookID)/deliveries", key: admin)
                    outcomes = (try r.object()["deliveries"] as? [[String: Any]] ?? []).map { $0["outcome"] as? String }
                    return !outcomes.isEmpty
                }
                #expect(logged)
                #expect(outcomes == ["delivered"])
            }
        }
    }
}
