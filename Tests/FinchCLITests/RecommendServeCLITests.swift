import FinchRecommend
import Foundation
import Testing

/// `finch serve` with a recommender as a child process: events acknowledged
/// before a SIGKILL are all there (in the store and in the serving state) after a restart.
@Suite(.serialized) struct RecommendServeCLITests {
    static func modelFolder() throws -> URL {
        var ratings: [(user: String, item: String, value: Float)] = []
        for u in 0..<20 { for k in 0..<5 { ratings.append(("u\(u)", "i\((u * 3 + k * 7) % 25)", 1)) } }
        let model = try RecommenderModel.train(
            RatingDataset(ratings: ratings, feedback: .implicit), algorithm: .als, parameters: ["factors": "3", "seed": "1"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-recsvc-\(UUID().uuidString)")
        try model.save(to: url)
        return url
    }

    @Test func eventsAcknowledgedBeforeSIGKILLAreThereAfterRestart() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("finch-recdur-\(UUID().uuidString)").path
        let (ks, out, err) = try await CLI.runAsync(["keys", "create", "--scope", "write", "--name", "cli", "--data-dir", data])
        #expect(ks == 0, "\(err)")
        let key = String(out.split(separator: "\n").first ?? "")
        let args = ["--data-dir", data, "--model", "recs=\(try Self.modelFolder().path)"]
        let environment = ["FINCH_RECOMMEND_MODEL": "recs", "FINCH_RECOMMEND_EVENT_WEIGHTS": "view=1,like=2"]
        var server = try ServeProcess(arguments: args, environment: environment)
        try await server.waitUntilReady()
        let base = server.baseURL
        let acknowledged = AckedIDs()
        let writers = (0..<3).map { w in
            Task {
                for i in 0..<100_000 {
                    let id = "w\(w)-\(i)"
                    guard
                        let (status, _) = try? await HTTP.request(
                            "POST", base + "/v1/events", key: key,
                            json: ["events": [["user": "writer\(w)", "item": "i\(i % 25)", "type": "view", "event_id": id]]])
                    else { return }
                    if status == 200 { acknowledged.add(id) }
                }
            }
        }
        // 12: the guarded retrain below needs users with more than one event.
        try await acknowledged.wait(for: 12)
        server.signal(SIGKILL)
        for w in writers { await w.value }
        _ = try await server.waitForExit()
        #expect(acknowledged.count > 5, "writers got \(acknowledged.count) acknowledgements before the kill")
        server = try ServeProcess(arguments: args, environment: environment)
        try await server.waitUntilReady()
        for w in 0..<3 {
            let acked = acknowledged.all.filter { $0.hasPrefix("w\(w)-") }.count
            let (status, body) = try await HTTP.request("GET", server.baseURL + "/v1/users/writer\(w)/profile", key: key)
            #expect(status == 200 || acked == 0)
            let stored = ((body as? [String: Any])?["event_counts"] as? [String: Int])?["view"] ?? 0
            #expect(stored >= acked, "writer \(w): \(acked) acknowledged, \(stored) after the restart")
            // A retried acknowledged event is recognised, not stored again.
            if acked > 0 {
                let (rs, retry) = try await HTTP.request(
                    "POST", server.baseURL + "/v1/events", key: key,
                    json: ["events": [["user": "writer\(w)", "item": "i0", "type": "view", "event_id": "w\(w)-0"]]])
                #expect(rs == 200)
                #expect((retry as? [String: Any])?["duplicates"] as? [Int] == [0])
            }
        }
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
        // `finch recommend retrain` on the same store: a guarded rebuild from the stored events.
        let (rs, rout, rerr) = try await CLI.runAsync(["recommend", "retrain", "--model", "recs", "--margin", "1", "--data-dir", data])
        #expect(rs == 0, "\(rerr)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(rout.utf8)) as? [String: Any])
        #expect(outcome["activated"] as? Bool == true, "\(rout)")
        #expect(outcome["newVersion"] as? Int == 2 && outcome["previousVersion"] as? Int == 1)
        #expect(rerr.contains("retrain: evaluating"))
        let (bad, _, badErr) = try await CLI.runAsync(["recommend", "retrain", "--model", "nope", "--data-dir", data])
        #expect(bad != 0)
        #expect(badErr.contains("no model named \"nope\""))
    }
}
