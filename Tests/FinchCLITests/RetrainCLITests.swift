import FinchTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `finch retrain` on a store a server wrote: a tiny classifier trained by
/// `finch train classify`, feedback sent to `finch serve`, then a guarded
/// retrain from the command line.
@Suite(.serialized) struct RetrainCLITests {
    @Test func retrainRegistersAVersionWithItsReport() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-retrain-\(UUID().uuidString)")
        let model = root.appendingPathComponent("classifier").path, data = root.appendingPathComponent("data").path
        let runs = root.appendingPathComponent("runs").path
        let (ts, _, terr) = try await CLI.runAsync([
            "train", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"),
            "--dev", TrainCLITests.fixture("tiny-sentiment-test.csv"), "--out", model, "--epochs", "10", "--batch-size", "8",
            "--lr", "1e-2", "--max-length", "16", "--runs", runs,
        ])
        #expect(ts == 0, "\(terr)")
        for file in ["finch_data.json", "heldout.jsonl", "replay.jsonl"] {
            #expect(FileManager.default.fileExists(atPath: model + "/" + file), "\(file) recorded")
        }
        let (ks, keyOut, _) = try await CLI.runAsync(["keys", "create", "--scope", "write", "--data-dir", data])
        #expect(ks == 0)
        let key = keyOut.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServeProcess(arguments: ["--data-dir", data, "--model", "sentiment=\(model)"])
        try await server.waitUntilReady()
        let texts = ["john and mary", "the actor and john", "mary was the plot", "the story and the movie were"]
        for text in texts {
            let (_, body) = try await HTTP.request(
                "POST", server.baseURL + "/v1/classify", key: key, json: ["model": "sentiment", "inputs": [text]])
            let label = try #require(((body as? [String: Any])?["results"] as? [[[String: Any]]])?.first?.first?["label"] as? String)
            let (status, _) = try await HTTP.request(
                "POST", server.baseURL + "/v1/feedback", key: key,
                json: ["model": "sentiment", "input": text, "label": label == "pos" ? "neg" : "pos"])
            #expect(status == 201)
        }
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)

        let (rs, out, err) = try await CLI.runAsync([
            "retrain", "--model", "sentiment", "--data-dir", data, "--epochs", "10", "--lr", "1e-2", "--margin", "1", "--runs", runs,
        ])
        #expect(rs == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("feedback accuracy rose from 0.0 % to 100.0 %") == true, "\(out)")
        #expect(lines.contains("sentiment version 2 registered, active"), "\(out)")
        #expect(lines.contains { $0.hasPrefix("feedback_accuracy\t0.0000\t1.0000") }, "\(out)")
        #expect(lines.contains { $0.hasPrefix("heldout_accuracy\t") }, "\(out)")
        let retrained = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("sentiment-retrain-") }
        #expect(retrained.count == 1)
        let report = root.appendingPathComponent(retrained.first ?? "").appendingPathComponent("retrain_report.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(object["new_version"] as? Int == 2 && object["activated"] as? Bool == true)
        // The retrained version carries its own model card, saying what it was retrained from.
        let card = try String(
            contentsOf: root.appendingPathComponent(retrained.first ?? "").appendingPathComponent("README.md"), encoding: .utf8)
        #expect(card.hasPrefix("---\n") && card.contains("model-index"), "\(card.prefix(400))")
        #expect(card.contains("retrain of version 1"), "\(card.prefix(2000))")

        // Both runs are in the run store: the retrain with its training steps, its settings and the new version's folder.
        let (ls, listed, _) = try await CLI.runAsync(["runs", "list", "--runs", runs, "--json"])
        #expect(ls == 0)
        let recorded = try listed.split(separator: "\n").map { try RunsCLITests.json(String($0)) }
        #expect(recorded.map { $0["kind"] as? String } == ["retrain", "train-classify"])
        #expect(recorded.map { $0["status"] as? String } == ["finished", "finished"])
        let retrainRun = recorded[0]
        #expect(retrainRun["model"] as? String == "sentiment")
        #expect((retrainRun["steps"] as? Int ?? 0) > 0)
        #expect((retrainRun["parameters"] as? [String: String])?["epochs"] == "10")
        #expect((retrainRun["final_metrics"] as? [String: Double])?["feedback_accuracy"] == 1)
        let folder = (retrainRun["artefacts"] as? [[String: String]])?.first { $0["name"] == "folder" }?["path"]
        #expect(folder?.contains("sentiment-retrain-") == true, "\(retrainRun)")
        #expect((recorded[1]["data"] as? [[String: Any]])?.map { $0["role"] as? String } == ["train", "dev"])

        // Unknown models and kinds without a retrainer are errors naming them (and failed runs).
        let (us, _, uerr) = try await CLI.runAsync(["retrain", "--model", "nope", "--data-dir", data, "--runs", runs])
        #expect(us == 1)
        #expect(uerr.contains("no model named \"nope\""), "\(uerr)")
        let (fs, failed, _) = try await CLI.runAsync(["runs", "show", "3", "--runs", runs, "--json"])
        #expect(fs == 0)
        let failedRun = try RunsCLITests.json(failed)
        #expect(failedRun["status"] as? String == "failed" && (failedRun["error"] as? String)?.contains("nope") == true)
        let (vs, _, verr) = try await CLI.runAsync(["retrain", "--model", "sentiment", "--data-dir", data, "--margin", "2"])
        #expect(vs == 64 && verr.contains("--margin"))
    }
}
