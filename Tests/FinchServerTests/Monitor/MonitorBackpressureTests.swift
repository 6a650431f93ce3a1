import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Backpressure on the monitor's ingest route, as on the model routes: when the sentiment model's
/// queue is full the batch is refused whole with 503 and `Retry-After`, nothing of it is stored,
/// and every batch that was acknowledged is stored in full.
@Suite struct MonitorBackpressureTests {
    @Test func aFullQueueRefusesWholeBatchesAndLosesNothingAcknowledged() async throws {
        let fixture = try await ServerFixture { config in
            config.batching.queueCapacity = 2
            config.batching.maxWaitMilliseconds = 400
            config.batching.maxBatchInputs = 1_000
        }
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let put = try await client.send(.put, "/v1/monitors/news", key: fixture.adminKey, json: MonitorEndpointTests.config)
            #expect(put.status == .ok || put.status == .created)
            let now = MonitorEndpointTests.iso(Date())
            // Six batches of two documents at once: the queue holds one batch.
            let batches: [[String]] = (0..<6).map { b in ["b\(b)-1", "b\(b)-2"] }
            func body(_ ids: [String]) -> [String: any Sendable] {
                ["documents": ids.map { ["id": $0, "text": "ACME shares fell after \($0)", "time": now] }]
            }
            let replies = try await withThrowingTaskGroup(of: ([String], LoopbackHTTP.Reply).self) { group in
                for ids in batches {
                    group.addTask {
                        (
                            ids,
                            try await LoopbackHTTP.post(port: port, "/v1/monitors/news/documents", key: fixture.writeKey, json: body(ids))
                        )
                    }
                }
                var all: [([String], LoopbackHTTP.Reply)] = []
                for try await r in group { all.append(r) }
                return all
            }
            #expect(Set(replies.map(\.1.status)).isSubset(of: [200, 503]), "\(replies.map(\.1.status))")
            let accepted = replies.filter { $0.1.status == 200 }.flatMap(\.0)
            let refused = replies.filter { $0.1.status == 503 }
            #expect(!accepted.isEmpty)
            let first = try #require(refused.first, "six batches at once on a queue of two inputs: some must be refused")
            #expect(first.1.headers["retry-after"] == "1")
            #expect((try first.1.object()["error"] as? [String: Any])?["code"] as? String == "overloaded")

            func storedIDs() async throws -> Set<String> {
                let r = try await client.send(.get, "/v1/monitors/news/documents?limit=1000", key: fixture.readKey)
                let documents = try #require(try r.object()["documents"] as? [[String: Any]])
                return Set(documents.compactMap { $0["id"] as? String })
            }
            // Acknowledged: all stored; refused: none stored.
            #expect(try await storedIDs() == Set(accepted))
            // The client's retry of the refused batches, one at a time, stores them.
            for (ids, _) in refused {
                let retry = try await LoopbackHTTP.post(port: port, "/v1/monitors/news/documents", key: fixture.writeKey, json: body(ids))
                #expect(retry.status == 200)
            }
            #expect(try await storedIDs() == Set(batches.flatMap { $0 }))
        }
    }
}
