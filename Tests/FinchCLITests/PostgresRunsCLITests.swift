import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs recorded by `finch` commands into the service's PostgreSQL database (`--runs postgres://…`),
/// read back by `finch runs --database-url` and by the service on that database. Needs
/// `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away server and sets it).
@Suite(.serialized) struct PostgresRunsCLITests {
    static func url() throws -> String {
        try #require(ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"], "set FINCH_TEST_POSTGRES_URL (Tools/test.sh does)")
    }

    /// The runs `finch runs list --database-url URL --json` shows whose output folder is `out`.
    static func listed(_ url: String, out: String) async throws -> [[String: Any]] {
        let (status, text, err) = try await CLI.runAsync(["runs", "list", "--database-url", url, "--json"])
        #expect(status == 0, "\(err)")
        return try text.split(separator: "\n").map { try RunsCLITests.json(String($0)) }.filter { $0["output"] as? String == out }
    }

    @Test func aRunKilledMidRunIsFailedWithItsStepsInTheDatabase() async throws {
        let url = try Self.url()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-pg-runs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/killed"
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = [
            "train", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"), "--out", out,
            "--epochs", "100000", "--batch-size", "8", "--max-length", "16", "--lr", "1e-2", "--eval-steps", "4", "--runs", url,
        ]  // far more epochs than the test waits for: on a loaded machine the listing below lags the training
        p.environment = CLI.environment()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // SIGKILL (no handler runs) once 12 steps are in the database, as another process reads them.
        let deadline = Date().addingTimeInterval(300)
        var seen = 0
        while seen < 12 && p.isRunning && Date() < deadline {
            seen = try await Self.listed(url, out: out).first?["steps"] as? Int ?? 0
            if seen < 12 { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        try #require(p.isRunning, "the run ended before it was killed")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)

        // Listed from this host, the run whose process is gone is marked failed, its steps kept.
        let runs = try await Self.listed(url, out: out)
        try #require(runs.count == 1)
        let killed = runs[0]
        #expect(killed["status"] as? String == "failed")
        #expect((killed["error"] as? String)?.contains("killed or crashed") == true, "\(killed)")
        #expect(killed["finished_at"] is NSNull)
        let steps = try #require(killed["steps"] as? Int)
        #expect(steps >= seen)
        #expect((killed["parameters"] as? [String: String])?["epochs"] == "100000")
        #expect((killed["best"] as? [String: Any])?["metric"] as? String == "accuracy")
        let process = try #require(killed["process"] as? [String: Any])
        #expect(process["pid"] as? Int == Int(p.processIdentifier) && (process["host"] as? String)?.isEmpty == false)
        // Marked in the database, not only in the listing: `show` reads it failed too.
        let id = try #require(killed["id"] as? Int)
        let (ss, shown, serr) = try await CLI.runAsync(["runs", "show", String(id), "--database-url", url, "--json"])
        #expect(ss == 0, "\(serr)")
        #expect(try RunsCLITests.json(shown)["status"] as? String == "failed")
    }

    @Test func theServiceOnPostgresListsARunAFinchCommandRecorded() async throws {
        let url = try Self.url()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-pg-runs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/done"
        let (ts, _, terr) = try await CLI.runAsync([
            "train", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"), "--out", out,
            "--epochs", "2", "--batch-size", "8", "--max-length", "16", "--lr", "1e-2", "--runs", url,
        ])
        #expect(ts == 0, "\(terr)")
        let id = try #require(try await Self.listed(url, out: out).first?["id"] as? Int)

        let (ks, keyOut, kerr) = try await CLI.runAsync(["keys", "create", "--scope", "read", "--name", "runs", "--database-url", url])
        #expect(ks == 0, "\(kerr)")
        let key = keyOut.trimmingCharacters(in: .whitespacesAndNewlines)
        // The service's runs are the database's (on PostgreSQL it reads no runs folder).
        let server = try ServeProcess(arguments: ["--database-url", url, "--model", "mini=\(try tinyEmbedderFolder().path)"])
        defer { server.signal(SIGTERM) }
        try await server.waitUntilReady()
        let (ls, listed) = try await HTTP.request("GET", server.baseURL + "/v1/runs", key: key)
        #expect(ls == 200)
        let runs = try #require((listed as? [String: Any])?["runs"] as? [[String: Any]])
        let run = try #require(runs.first { $0["id"] as? Int == id })
        #expect(run["status"] as? String == "finished" && run["output"] as? String == out)
        #expect(run["steps"] as? Int == 12)
        let (ss, shown) = try await HTTP.request("GET", server.baseURL + "/v1/runs/\(id)", key: key)
        #expect(ss == 200)
        let points = try #require((shown as? [String: Any])?["points"] as? [[String: Any]])
        #expect(points.filter { $0["name"] as? String == "loss" }.count == 12)
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
    }

    /// `finch retrain` is async: it records its start and end off the cooperative pool, and a retrain
    /// that fails is a failed run in the database.
    @Test func aRetrainThatFailsIsAFailedRunInTheDatabase() async throws {
        let url = try Self.url()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("finch-pg-retrain-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let model = "nope-\(UUID().uuidString.prefix(8).lowercased())"
        let (rs, _, rerr) = try await CLI.runAsync(["retrain", "--model", model, "--data-dir", data, "--runs", url])
        #expect(rs == 1 && rerr.contains("no model named \"\(model)\""), "\(rerr)")
        let (ls, listed, lerr) = try await CLI.runAsync(["runs", "list", "--database-url", url, "--json"])
        #expect(ls == 0, "\(lerr)")
        let runs = try listed.split(separator: "\n").map { try RunsCLITests.json(String($0)) }.filter { $0["model"] as? String == model }
        try #require(runs.count == 1)
        #expect(runs[0]["kind"] as? String == "retrain" && runs[0]["status"] as? String == "failed")
        #expect((runs[0]["error"] as? String)?.contains(model) == true, "\(runs[0])")
    }

    /// `finch tune` with trials two at a time records the study and every trial in the database
    /// (each trial's thread calls the store; none may be on the cooperative pool).
    @Test func aTuneWithParallelTrialsRecordsEveryTrialInTheDatabase() async throws {
        let url = try Self.url()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-pg-tune-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/tuned"
        let (status, stdout, stderr) = try await CLI.runAsync(
            TuneCLITests.arguments(out: out, runs: url, extra: ["--sampler", "random", "--json", "--parallel", "2"]))
        #expect(status == 0, "\(stderr)")
        #expect(!stderr.contains("note: the run store"), "\(stderr)")
        let studyID = try #require(try RunsCLITests.json(stdout)["study_run_id"] as? Int)
        let (ls, listed, lerr) = try await CLI.runAsync(["runs", "list", "--database-url", url, "--json"])
        #expect(ls == 0, "\(lerr)")
        let all = try listed.split(separator: "\n").map { try RunsCLITests.json(String($0)) }
        let study = try #require(all.first { $0["id"] as? Int == studyID })
        #expect(study["kind"] as? String == "tune" && study["status"] as? String == "finished")
        let trials = all.filter {
            $0["kind"] as? String == "tune-trial" && ($0["parameters"] as? [String: String])?["study"] == String(studyID)
        }
        #expect(trials.count == 4, "\(trials.map { $0["parameters"] ?? "" })")
        #expect(trials.allSatisfy { ($0["steps"] as? Int ?? 0) > 0 })
    }
}
