import FinchServer
import FinchTrain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/runs`, `/v1/runs/{id}` and `/v1/runs/compare` on the runs folder the service is configured with.
@Suite struct RunsEndpointTests {
    /// Two finished runs and one left running by a process that is gone, in `folder`.
    static func seed(_ folder: URL) throws {
        let store = try SQLiteRunStore(folder: folder)
        for (lr, losses) in [("0.01", [0.9, 0.6, 0.5]), ("0.1", [0.8, 0.3])] {
            let id = try store.begin(
                RunStart(
                    kind: "train-classify", model: "tiny", command: "finch train classify --lr \(lr)", outputDirectory: "/tmp/out-\(lr)",
                    parameters: ["learning_rate": lr], dataHashes: [RunDataHash(role: "train", path: "t.csv", sha256: "ab")],
                    bestMetric: "accuracy"))
            for (i, loss) in losses.enumerated() {
                try store.record(run: id, points: [RunMetricPoint(step: i + 1, epoch: 0, name: "loss", value: loss)], best: nil, at: Date())
            }
            try store.record(
                run: id, points: [RunMetricPoint(step: losses.count, epoch: 1, name: "eval_accuracy", value: 0.7)],
                best: RunBest(metric: "accuracy", value: 0.7, step: losses.count), at: Date())
            try store.finish(run: id, status: .finished, finalMetrics: ["accuracy": 0.7], artefacts: [], error: nil, at: Date())
        }
        var gone = RunProcess.current
        gone.pid = 99_999_999
        _ = try store.begin(RunStart(kind: "train-ner", model: "tiny", command: "finch train ner", process: gone))
        try store.close()
    }

    @Test func runsAreListedShownAndComparedAsTheDocumentSays() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let contract = try OpenAPIContract.embedded()
        let read = fixture.readKey
        try await fixture.app().test(.router) { client in
            func check(_ uri: String, _ template: String, status: Int, signedIn: Bool = true) async throws -> TestResponse {
                let r = try await client.send(.get, uri, key: signedIn ? read : nil)
                #expect(Int(r.status.code) == status, "\(uri): \(String(buffer: r.body).prefix(300))")
                let problems = try contract.violations(
                    method: "GET", path: template, status: Int(r.status.code), contentType: r.headers[.contentType],
                    body: Array(buffer: r.body))
                #expect(problems.isEmpty, "\(uri): \(problems)")
                return r
            }
            // Nothing recorded yet: an empty list, and no file made by reading.
            #expect((try await check("/v1/runs", "/v1/runs", status: 200).object()["runs"] as? [Any])?.isEmpty == true)
            #expect(!FileManager.default.fileExists(atPath: fixture.configuration.runsFolder.appendingPathComponent("runs.sqlite").path))
            _ = try await check("/v1/runs", "/v1/runs", status: 401, signedIn: false)
            _ = try await check("/v1/runs/1", "/v1/runs/{id}", status: 404)

            try Self.seed(fixture.configuration.runsFolder)
            let runs = try #require(try await check("/v1/runs", "/v1/runs", status: 200).object()["runs"] as? [[String: Any]])
            #expect(runs.map { $0["id"] as? Int } == [3, 2, 1])
            #expect(runs.map { $0["status"] as? String } == ["failed", "finished", "finished"])

            let shown = try await check("/v1/runs/2", "/v1/runs/{id}", status: 200).object()
            #expect((shown["run"] as? [String: Any])?["command"] as? String == "finch train classify --lr 0.1")
            let points = try #require(shown["points"] as? [[String: Any]])
            #expect(points.map { $0["name"] as? String } == ["loss", "eval_accuracy", "loss"])
            _ = try await check("/v1/runs/x", "/v1/runs/{id}", status: 400)
            _ = try await check("/v1/runs/9", "/v1/runs/{id}", status: 404)

            let compared = try await check("/v1/runs/compare?ids=1,2&metric=loss", "/v1/runs/compare", status: 200).object()
            #expect(compared["header"] as? [String] == ["", "run 1", "run 2"])
            let rows = try #require(compared["rows"] as? [[String]])
            #expect(rows.contains(["* learning_rate", "0.01", "0.1"]))
            #expect(rows.contains(["loss last", "0.5000", "0.3000"]))
            #expect(compared["metrics"] as? [String] == ["eval_accuracy", "loss"])
            let svg = try #require(compared["svg"] as? String)
            #expect(svg.hasPrefix("<?xml") && svg.components(separatedBy: "<polyline").count == 3)
            _ = try await check("/v1/runs/compare?ids=1", "/v1/runs/compare", status: 400)
            _ = try await check("/v1/runs/compare?ids=1,x", "/v1/runs/compare", status: 400)
            _ = try await check("/v1/runs/compare?ids=1,9", "/v1/runs/compare", status: 404)
        }
    }

    @Test(.timeLimit(.minutes(10))) func theServicesRetrainsAreRecorded() async throws {
        let trainingRoot = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: trainingRoot) }
        let trained = try RetrainingTests.trainedClassifier(in: trainingRoot)
        let fixture = try await ServerFixture { config in
            config.models = [.init(name: "sentiment", path: trained.path)]
            config.retrain = RetrainingTests.options
            config.retrain.margin = 1
        }
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            for (text, label) in [("john and mary", "pos"), ("the plot was mary", "neg")] {
                let r = try await client.send(
                    .post, "/v1/feedback", key: fixture.writeKey, json: ["model": "sentiment", "input": text, "label": label])
                #expect(r.status == .created)
            }
            let started = try await client.send(.post, "/v1/models/sentiment/retrain", key: fixture.adminKey)
            let id = try #require(try started.object()["id"] as? String)
            var state = "running"
            let deadline = Date().addingTimeInterval(300)
            while state == "running" && Date() < deadline {
                try await Task.sleep(nanoseconds: 100_000_000)
                state = try await client.send(.get, "/v1/jobs/\(id)", key: fixture.readKey).object()["state"] as? String ?? "?"
            }
            #expect(state == "succeeded")
            let runs = try #require(try await client.send(.get, "/v1/runs", key: fixture.readKey).object()["runs"] as? [[String: Any]])
            try #require(runs.count == 1)
            let run = runs[0]
            #expect(run["kind"] as? String == "retrain" && run["model"] as? String == "sentiment")
            #expect(run["status"] as? String == "finished" && run["command"] as? String == "POST /v1/models/sentiment/retrain")
            #expect((run["parameters"] as? [String: String])?["epochs"] == "10")
            #expect((run["final_metrics"] as? [String: Double])?["feedback_accuracy"] != nil)
            let folder = (run["artefacts"] as? [[String: String]])?.first { $0["name"] == "folder" }?["path"]
            #expect(folder != nil && FileManager.default.fileExists(atPath: folder ?? ""))
            // Every training step's loss, as the job reported it.
            let detail = try await client.send(.get, "/v1/runs/1", key: fixture.readKey).object()
            let losses = try #require(detail["points"] as? [[String: Any]]).filter { $0["name"] as? String == "loss" }
            #expect(!losses.isEmpty && losses.count == run["steps"] as? Int)
        }
    }

    @Test func theRunsFolderIsASetting() throws {
        let config = try ServerConfiguration.load(environment: ["FINCH_RUNS_DIR": "/srv/runs"])
        #expect(config.runsFolder.path == "/srv/runs")
        #expect(try ServerConfiguration.load(flags: ["runs_dir": "/x"]).runsDirectory == "/x")
        #expect(ServerConfiguration().runsFolder.path.hasSuffix("/.finch/runs"))
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.load(flags: ["runs_dir": ""]) }
    }
}
