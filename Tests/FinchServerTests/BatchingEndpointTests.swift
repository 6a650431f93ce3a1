import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct BatchingEndpointTests {
    /// `finch_batch_inputs_count{model="NAME"}`: forward passes of that model so far.
    static func forwardPasses(_ metrics: String, model: String) -> Int? {
        for line in metrics.split(separator: "\n") where line.hasPrefix("finch_batch_inputs_count{") && line.contains("model=\"\(model)\"")
        {
            return line.split(separator: " ").last.flatMap { Int($0) }
        }
        return nil
    }

    @Test func concurrentSingleRequestsEqualOneBatchInFewerPasses() async throws {
        let model = "batched-\(UUID().uuidString.prefix(8).lowercased())"
        let fixture = try await ServerFixture { config in
            config.models[0].name = model
            config.batching.maxWaitMilliseconds = 30
        }
        defer { fixture.remove() }
        let texts = (0..<16).map { "sentence number \($0) is \(String(repeating: "longer ", count: $0 % 5))" }
        try await fixture.app().test(.live) { client in
            let batch = try await client.send(.post, "/v1/embed", key: fixture.readKey, json: ["model": model, "inputs": texts])
            let expected = try #require(try batch.object()["embeddings"] as? [[Double]])
            var metrics = String(buffer: try await client.send(.get, "/metrics", key: fixture.readKey).body)
            let before = try #require(Self.forwardPasses(metrics, model: model))
            let port = try #require(client.port)
            let singles = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
                for (i, text) in texts.enumerated() {
                    group.addTask {
                        let r = try await LoopbackHTTP.post(
                            port: port, "/v1/embed", key: fixture.readKey, json: ["model": model, "inputs": [text]])
                        return (i, try #require((try r.object()["embeddings"] as? [[Double]])?.first))
                    }
                }
                var out = [[Double]](repeating: [], count: texts.count)
                for try await (i, v) in group { out[i] = v }
                return out
            }
            for (a, b) in zip(singles, expected) {
                #expect(a.count == b.count)
                #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 })
            }
            metrics = String(buffer: try await client.send(.get, "/metrics", key: fixture.readKey).body)
            let passes = try #require(Self.forwardPasses(metrics, model: model)) - before
            #expect(passes < texts.count, "16 concurrent requests took \(passes) forward passes")
            #expect(metrics.contains("finch_http_requests_total"))
            #expect(metrics.contains("finch_queue_depth"))
            #expect(metrics.contains("finch_inference_duration_seconds"))
        }
    }

    @Test func fullQueueGives503WithRetryAfter() async throws {
        let fixture = try await ServerFixture { config in
            config.batching.queueCapacity = 1
            config.batching.maxWaitMilliseconds = 400
            config.batching.maxBatchInputs = 1_000
        }
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let replies = try await withThrowingTaskGroup(of: LoopbackHTTP.Reply.self) { group in
                for i in 0..<4 {
                    group.addTask {
                        try await LoopbackHTTP.post(
                            port: port, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": ["t \(i)"]])
                    }
                }
                var all: [LoopbackHTTP.Reply] = []
                for try await r in group { all.append(r) }
                return all
            }
            #expect(replies.contains { $0.status == 200 })
            let refused = try #require(replies.first { $0.status == 503 })
            #expect((try refused.object()["error"] as? [String: Any])?["code"] as? String == "overloaded")
            #expect(refused.headers["retry-after"] == "1")
        }
    }

    @Test func deadlineGives504() async throws {
        let fixture = try await ServerFixture { config in
            config.batching.timeoutSeconds = 0.05
            config.batching.maxWaitMilliseconds = 300
        }
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(.post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": ["late"]])
            #expect(r.status == .gatewayTimeout)
            let error = try r.apiError()
            #expect(error.code == "timeout")
            #expect(error.message.contains("past its deadline"))
        }
    }

    /// `finch_queue_depth{model=…}` values by model.
    static func queueDepths(_ metrics: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in metrics.split(separator: "\n") where line.hasPrefix("finch_queue_depth{") {
            guard let start = line.range(of: "model=\""), let end = line[start.upperBound...].firstIndex(of: "\"") else { continue }
            out[String(line[start.upperBound..<end])] = line.split(separator: " ").last.flatMap { Double($0) }
        }
        return out
    }

    /// Regression for the queue-depth gauge: after concurrent requests on three models (some
    /// refused with 503 by a small queue), once the service is idle every model's gauge reads 0.
    @Test func queueDepthGaugeReturnsToZeroWhenIdle() async throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let names = ["mini", "sentiment", "ner"].map { "\($0)-\(suffix)" }
        let fixture = try await ServerFixture { config in
            for i in 0..<3 { config.models[i].name = names[i] }
            config.batching.maxWaitMilliseconds = 5
            config.batching.queueCapacity = 6
        }
        defer { fixture.remove() }
        let routes = ["/v1/embed", "/v1/classify", "/v1/entities"]
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<60 {
                    group.addTask {
                        try await LoopbackHTTP.post(
                            port: port, routes[i % 3], key: fixture.readKey,
                            json: ["model": names[i % 3], "inputs": ["request \(i) about Paris and Mary"]]
                        ).status
                    }
                }
                var all: [Int] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(Set(statuses).isSubset(of: [200, 503]), "\(statuses)")
            #expect(statuses.contains(200))
            var depths: [String: Double] = [:]
            for _ in 0..<100 {
                depths = Self.queueDepths(String(buffer: try await client.send(.get, "/metrics", key: fixture.readKey).body))
                if names.allSatisfy({ depths[$0] == 0 }) { break }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            for name in names { #expect(depths[name] == 0, "finch_queue_depth of \(name) is \(depths[name] ?? -1) when idle") }
        }
    }
}
