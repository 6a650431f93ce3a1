import FinchTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `finch retrain` on an embedder: a tiny embedder serves an assistant
/// collection, accepted answers are sent to `finch serve`, then a guarded
/// contrastive retrain from the command line; the next `finch serve` runs the
/// new version on the re-embedded collection.
@Suite(.serialized) struct EmbedderRetrainCLITests {
    static var collection: [String: Any] {
        [
            "model": "mini", "threshold": 0,
            "entries": [
                [
                    "id": "good", "question": "the movie was good", "answer": "Glad you liked it.",
                    "alternatives": ["the movie is good", "good movie"],
                ],
                [
                    "id": "boring", "question": "the plot is boring", "answer": "Sorry.",
                    "alternatives": ["the plot was boring", "boring plot"],
                ],
                [
                    "id": "actor", "question": "i love the actor", "answer": "So do we.",
                    "alternatives": ["love the actor", "the actor is great"],
                ],
                [
                    "id": "awful", "question": "the film was awful", "answer": "We will do better.",
                    "alternatives": ["awful film", "the film is awful"],
                ],
            ],
        ]
    }
    static let accepted = [("smith visited london", "boring"), ("hate and fun", "actor"), ("not very fun at all", "good")]

    @Test func retrainAnEmbedderFromAcceptedAnswers() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-retrain-embedder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let model = root.appendingPathComponent("embedder")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: TrainCLITests.model), to: model)
        let data = root.appendingPathComponent("data").path, runs = root.appendingPathComponent("runs").path
        let (ks, keyOut, _) = try await CLI.runAsync(["keys", "create", "--scope", "write", "--data-dir", data])
        #expect(ks == 0)
        let key = keyOut.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServeProcess(arguments: ["--data-dir", data, "--model", "mini=\(model.path)"])
        try await server.waitUntilReady()
        let (cs, _) = try await HTTP.request("PUT", server.baseURL + "/v1/assistant/faq", key: key, json: Self.collection)
        #expect(cs == 201)
        for (query, entry) in Self.accepted {
            let (status, _) = try await HTTP.request(
                "POST", server.baseURL + "/v1/feedback", key: key, json: ["collection": "faq", "query": query, "entry": entry])
            #expect(status == 201)
        }
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)

        let (rs, out, err) = try await CLI.runAsync([
            "retrain", "--model", "mini", "--data-dir", data, "--epochs", "30", "--lr", "5e-3", "--margin", "1", "--runs", runs,
        ])
        #expect(rs == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("feedback retrieval hit@1 rose from ") == true, "\(out)")
        #expect(lines.first?.hasSuffix("re-embedded 1 collection with version 2") == true, "\(out)")
        #expect(lines.contains("mini version 2 registered, active"), "\(out)")
        #expect(lines.contains { $0.hasPrefix("feedback_hit_at_1\t") }, "\(out)")
        #expect(lines.contains { $0.hasPrefix("heldout_mrr_at_10\t") }, "\(out)")
        let retrained = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("mini-retrain-") }
        #expect(retrained.count == 1)
        let folder = root.appendingPathComponent(retrained.first ?? "")
        for file in ["retrain_report.json", "modules.json", "model.safetensors", "vocab.txt", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        // The run store has the retrain with the contrastive recipe's settings.
        let (ls, listed, _) = try await CLI.runAsync(["runs", "list", "--runs", runs, "--json"])
        #expect(ls == 0)
        let run = try RunsCLITests.json(String(listed.split(separator: "\n").first ?? ""))
        #expect(run["kind"] as? String == "retrain" && run["status"] as? String == "finished")
        let parameters = run["parameters"] as? [String: String]
        #expect(parameters?["epochs"] == "30" && parameters?["loss"] == "MultipleNegativesRankingLoss(scale=20.0)", "\(run)")

        // A new server (on the store alone: `--model` would register the base folder again) runs version 2 on
        // the collection as the retrain re-embedded it.
        let again = try ServeProcess(arguments: ["--data-dir", data])
        try await again.waitUntilReady()
        let (_, models) = try await HTTP.request("GET", again.baseURL + "/v1/models", key: key)
        let mini = ((models as? [String: Any])?["models"] as? [[String: Any]])?.first { $0["name"] as? String == "mini" }
        #expect(mini?["active_version"] as? Int == 2, "\(String(describing: models))")
        for (query, entry) in Self.accepted {
            let (status, body) = try await HTTP.request(
                "POST", again.baseURL + "/v1/assistant/faq/ask", key: key, json: ["query": query, "session": "s"])
            #expect(status == 200 && (body as? [String: Any])?["entry"] as? String == entry, "\(query): \(String(describing: body))")
        }
        again.signal(SIGTERM)
        #expect(try await again.waitForExit() == 0)

        // Started with the base folder named again, the server registers it as version 3 and finds the collection
        // embedded by version 2: it re-embeds it before serving.
        let third = try ServeProcess(arguments: ["--data-dir", data, "--model", "mini=\(model.path)"])
        try await third.waitUntilReady()
        let (_, listed3) = try await HTTP.request("GET", third.baseURL + "/v1/models", key: key)
        let mini3 = ((listed3 as? [String: Any])?["models"] as? [[String: Any]])?.first { $0["name"] as? String == "mini" }
        #expect(mini3?["active_version"] as? Int == 3)
        #expect(third.logText.contains("assistant collection re-embedded with the active version of its embedder"), "\(third.logText)")
        let (status, body) = try await HTTP.request(
            "POST", third.baseURL + "/v1/assistant/faq/ask", key: key, json: ["query": "the plot is boring", "session": "s"])
        #expect(status == 200 && (body as? [String: Any])?["entry"] as? String == "boring")
        third.signal(SIGTERM)
        #expect(try await third.waitForExit() == 0)
    }
}
