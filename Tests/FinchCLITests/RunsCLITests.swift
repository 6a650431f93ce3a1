import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `finch runs` on runs that `finch train` recorded: one killed mid-run, one finished.
@Suite struct RunsCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The last training step `runs.sqlite` holds, read as another process would (nil before the file has one).
    static func lastStep(_ runs: String) throws -> Int? {
        let path = runs + "/runs.sqlite"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: config)
        defer { try? pool.close() }
        return try pool.read { db in
            guard try db.tableExists("run_metrics") else { return nil }
            return try Int.fetchOne(db, sql: "SELECT MAX(step) FROM run_metrics WHERE name = 'loss'")
        }
    }

    /// Processes that open a new runs folder at the same moment (training runs started together)
    /// all open it: switching the new file to WAL answered "database is locked" to the losers.
    @Test func processesOpeningANewStoreAtOnceAllSucceed() async throws {
        for round in 0..<6 {
            let runs = FileManager.default.temporaryDirectory.appendingPathComponent("finch-runs-race-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: runs) }
            let results = try await withThrowingTaskGroup(of: (Int32, String).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let (status, _, err) = try await CLI.runAsync(["runs", "list", "--runs", runs])
                        return (status, err)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let failed = results.filter { $0.0 != 0 }
            #expect(failed.isEmpty, "round \(round): \(failed.map(\.1))")
        }
    }

    @Test func aRunKilledMidRunIsFailedWithItsStepsAndTheStoreStillWorks() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-runs-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runs = root + "/runs", train = TrainCLITests.fixture("tiny-sentiment.csv")
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = [
            "train", "classify", "--model", TrainCLITests.model, "--train", train, "--out", root + "/killed", "--epochs", "400",
            "--batch-size", "8", "--max-length", "16", "--lr", "1e-2", "--eval-steps", "4", "--runs", runs,
        ]
        p.environment = CLI.environment()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // SIGKILL (no handler runs, as with the OOM killer) once 12 steps are recorded.
        let deadline = Date().addingTimeInterval(300)
        var seen = 0
        while seen < 12 && p.isRunning && Date() < deadline {
            seen = try Self.lastStep(runs) ?? 0
            if seen < 12 { usleep(20_000) }
        }
        try #require(p.isRunning, "the run ended before it was killed")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)

        let (ss, shown, serr) = try CLI.run(["runs", "show", "1", "--runs", runs, "--json"])
        #expect(ss == 0, "\(serr)")
        let killed = try Self.json(shown)
        #expect(killed["status"] as? String == "failed")
        #expect((killed["error"] as? String)?.contains("killed or crashed") == true, "\(killed)")
        #expect(killed["finished_at"] is NSNull)
        // Every step up to the kill is there, none missing.
        let steps = try #require(killed["steps"] as? Int)
        #expect(steps >= seen && steps < 2400)
        #expect(try Self.lastStep(runs) == steps)
        #expect((killed["parameters"] as? [String: String])?["epochs"] == "400")
        #expect((killed["best"] as? [String: Any])?["metric"] as? String == "accuracy")
        let data = try #require(killed["data"] as? [[String: Any]])
        #expect(data.map { $0["role"] as? String } == ["train"] && (data[0]["sha256"] as? String)?.count == 64)
        // The file is whole, and it was marked failed in the store (not only shown so).
        let pool = try DatabasePool(path: runs + "/runs.sqlite")
        #expect(try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try pool.read { db in try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = 1") } == "failed")
        let lossCount = try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_metrics WHERE run_id = 1 AND name = 'loss'")
        }
        #expect(lossCount == steps)
        try pool.close()

        // The store takes the next run as if nothing happened.
        let (ts, _, terr) = try CLI.run([
            "train", "classify", "--model", TrainCLITests.model, "--train", train, "--out", root + "/done", "--epochs", "2",
            "--batch-size", "8", "--max-length", "16", "--lr", "1e-2", "--runs", runs,
        ])
        #expect(ts == 0, "\(terr)")
        let (ls, listed, _) = try CLI.run(["runs", "list", "--runs", runs, "--json"])
        #expect(ls == 0)
        let all = try listed.split(separator: "\n").map { try Self.json(String($0)) }
        #expect(all.map { $0["id"] as? Int } == [2, 1])
        #expect(all.map { $0["status"] as? String } == ["finished", "failed"])
        let done = all[0]
        #expect(done["steps"] as? Int == 12)
        #expect((done["data"] as? [[String: Any]])?.first?["sha256"] as? String == data[0]["sha256"] as? String)
        #expect((done["final_metrics"] as? [String: Double])?["accuracy"] != nil)
        let artefacts = try #require(done["artefacts"] as? [[String: String]]).map { $0["name"] ?? "" }
        #expect(Set(["folder", "model", "config", "metrics", "curves", "card"]).isSubset(of: Set(artefacts)), "\(artefacts)")
        #expect((done["command"] as? String)?.hasPrefix("finch train classify --model ") == true)

        let (ts2, table, _) = try CLI.run(["runs", "list", "--runs", runs])
        #expect(ts2 == 0)
        let rows = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 3 && rows[0].prefix(4) == ["id", "kind", "model", "status"])
        #expect(rows[1].prefix(2) == ["2", "train-classify"] && rows[1].contains("finished"))
        #expect(rows[2].prefix(2) == ["1", "train-classify"] && rows[2].contains("failed"))

        let svg = root + "/compare.svg"
        let (cs, compared, cerr) = try CLI.run(["runs", "compare", "1", "2", "--runs", runs, "--svg", svg])
        #expect(cs == 0, "\(cerr)")
        #expect(compared.contains("* epochs") && compared.contains("loss last"), "\(compared)")
        #expect(compared.hasSuffix("curves of loss written to \(svg)\n"))
        let drawing = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(drawing.components(separatedBy: "<polyline").count == 3)
        #expect(drawing.contains("data-name=\"run 1 (train-classify)\"") && drawing.contains("data-name=\"run 2 (train-classify)\""))
        let (es, evalCompared, _) = try CLI.run(["runs", "compare", "2", "1", "--runs", runs, "--metric", "eval_accuracy"])
        #expect(es == 0 && evalCompared.contains("eval_accuracy highest"))

        let (ns, _, nerr) = try CLI.run(["runs", "compare", "1", "2", "--runs", runs, "--metric", "bleu"])
        #expect(ns == 1 && nerr.contains("--metric bleu was not recorded by these runs; they recorded: eval_accuracy"), "\(nerr)")
        let (us, _, uerr) = try CLI.run(["runs", "show", "9", "--runs", runs])
        #expect(us == 1 && uerr.hasSuffix("Error: no run 9 in the run store\n"), "\(uerr)")
        let (os, _, oerr) = try CLI.run(["runs", "compare", "1", "--runs", runs])
        #expect(os == 64 && oerr.contains("give at least two run ids"))
    }

    @Test func imageAndClassicalRunsAreRecorded() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-runs-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runs = root + "/runs", images = ImageCLITests.tiny + "/train"
        let (is1, _, ierr) = try CLI.run([
            "train", "image", "--data", images, "--dev", ImageCLITests.tiny + "/dev", "--model", "lenet", "--out", root + "/image",
            "--epochs", "2", "--batch-size", "8", "--runs", runs,
        ])
        #expect(is1 == 0, "\(ierr)")
        let (cs, _, cerr) = try CLI.run([
            "train", "classify", "--head", "logistic", "--train", TrainCLITests.fixture("tiny-sentiment.csv"), "--out",
            root + "/logistic", "--runs", runs,
        ])
        #expect(cs == 0, "\(cerr)")
        let (ls, listed, _) = try CLI.run(["runs", "list", "--runs", runs, "--json"])
        #expect(ls == 0)
        let all = try listed.split(separator: "\n").map { try Self.json(String($0)) }
        try #require(all.count == 2)
        let (classical, image) = (all[0], all[1])
        #expect(image["kind"] as? String == "train-image" && image["model"] as? String == "lenet")
        #expect(image["status"] as? String == "finished" && (image["steps"] as? Int ?? 0) > 0)
        #expect((image["best"] as? [String: Any])?["metric"] as? String == "accuracy")
        // The image folder's hash covers its files: the same folder hashes the same, another differently.
        let data = try #require(image["data"] as? [[String: Any]])
        #expect(data.map { $0["role"] as? String } == ["data", "dev"])
        #expect(data[0]["sha256"] as? String != data[1]["sha256"] as? String)
        #expect(classical["kind"] as? String == "train-classify" && classical["model"] as? String == "logistic on tfidf")
        #expect(classical["status"] as? String == "finished" && classical["steps"] as? Int == 0)
        #expect((classical["parameters"] as? [String: String])?["C"] == "1.0")
        #expect((classical["best"] as? [String: Any])?["metric"] as? String == "accuracy")
        #expect((classical["final_metrics"] as? [String: Double])?["accuracy"] != nil)
    }

    @Test func aDefaultFolderThatCannotBeMadeLeavesTheRunUnrecordedAChosenOneIsAnError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-runs-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let train = [
            "train", "classify", "--head", "logistic", "--train", TrainCLITests.fixture("tiny-sentiment.csv"), "--out", root + "/m",
        ]
        // ~/.finch/runs under a HOME that is a file: the run goes on, and says it is not recorded.
        let (ds, _, derr) = try CLI.run(train, environment: ["HOME": "/dev/null", "FINCH_RUNS_DIR": ""])
        #expect(ds == 0, "\(derr)")
        #expect(derr.contains("note: this run is not recorded (") && derr.contains("give --runs DIR"), "\(derr)")
        // A folder the user named must work: nothing is trained without it.
        let (cs, _, cerr) = try CLI.run(train + ["--runs", "/dev/null/runs"])
        #expect(cs == 1 && cerr.contains("cannot open the run store /dev/null/runs/runs.sqlite"), "\(cerr)")
        let (es, _, eerr) = try CLI.run(train, environment: ["FINCH_RUNS_DIR": "/dev/null/runs"])
        #expect(es == 1 && eerr.contains("cannot open the run store"), "\(eerr)")
    }

    @Test func aRunThatFailsOrIsInterruptedSaysSo() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-runs-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runs = root + "/runs"
        // A run that fails on its data is recorded as failed with the error.
        let bad = root + "/bad.csv"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "text,label\nfine,pos\n\"unclosed,neg\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let (fs, _, ferr) = try CLI.run([
            "train", "classify", "--model", TrainCLITests.model, "--train", bad, "--out", root + "/bad", "--runs", runs,
        ])
        #expect(fs == 1)
        let (ss, shown, _) = try CLI.run(["runs", "show", "1", "--runs", runs, "--json"])
        #expect(ss == 0)
        let failed = try Self.json(shown)
        #expect(failed["status"] as? String == "failed")
        #expect(ferr.hasSuffix("Error: \(failed["error"] as? String ?? "?")\n"), "\(ferr)")

        // Ctrl-C: the run stops at the next step and is recorded as interrupted.
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = [
            "train", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"), "--out",
            root + "/stopped", "--epochs", "400", "--batch-size", "8", "--max-length", "16", "--runs", runs,
        ]
        p.environment = CLI.environment()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(300)
        while (try Self.lastStep(runs) ?? 0) < 3 && p.isRunning && Date() < deadline { usleep(20_000) }
        try #require(p.isRunning, "the run ended before it was interrupted")
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        let (is2, interrupted, _) = try CLI.run(["runs", "show", "2", "--runs", runs, "--json"])
        #expect(is2 == 0)
        let stopped = try Self.json(interrupted)
        #expect(stopped["status"] as? String == "interrupted")
        #expect(stopped["finished_at"] is String && (stopped["steps"] as? Int ?? 0) >= 3)
        #expect((stopped["artefacts"] as? [[String: String]])?.contains { $0["name"] == "checkpoint" } == true)
    }
}
