import ArgumentParser
import Foundation
import Testing

@testable import finch

#if canImport(Glibc)
    import Glibc
#endif

/// `finch tune` end to end on the tiny model: trials, pruning, the exported model, tune.json
/// and the run store.
@Suite struct TuneCLITests {
    static func temp() -> String { TrainCLITests.temp() }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// 4 trials of 6 epochs, evaluated each epoch on the 10 test sentences, lr searched; ASHA with
    /// η = 2 (rungs at evaluations 1, 2, 4).
    static func arguments(out: String, runs: String, extra: [String] = []) -> [String] {
        [
            "tune", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"),
            "--dev", TrainCLITests.fixture("tiny-sentiment-test.csv"), "--epochs", "6", "--batch-size", "8", "--max-length", "16",
            "--search", "lr=loguniform(1e-3,3e-2)", "--trials", "4", "--pruner", "asha", "--reduction-factor", "2", "--out", out,
            "--runs", runs,
        ] + extra
    }

    @Test func randomSearchWithASHAExportsTheBestTrialAndRecordsEveryTrial() throws {
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/tuned", runs = root + "/runs"
        let (status, stdout, stderr) = try CLI.run(Self.arguments(out: out, runs: runs, extra: ["--sampler", "random", "--json"]))
        #expect(status == 0, "\(stderr)")
        let report = try Self.json(stdout)
        let saved = try Self.json(try String(contentsOfFile: out + "/tune.json", encoding: .utf8))
        #expect(NSDictionary(dictionary: report) == NSDictionary(dictionary: saved))
        #expect(report["sampler"] as? String == "random" && report["pruner"] as? String == "asha")
        #expect(report["reduction_factor"] as? Int == 2 && report["min_resource"] as? Int == 1 && report["metric"] as? String == "accuracy")
        let trials = try #require(report["trials"] as? [[String: Any]])
        #expect(trials.map { $0["number"] as? Int } == [0, 1, 2, 3])
        for t in trials {
            let lr = try #require((t["parameters"] as? [String: Any])?["lr"] as? Double)
            #expect(lr >= 1e-3 && lr <= 3e-2)
            #expect(["completed", "pruned"].contains(t["status"] as? String), "\(t)")
            let evaluations = try #require(t["evaluations"] as? [[String: Any]])
            #expect(t["value"] as? Double == evaluations.compactMap { $0["value"] as? Double }.max())
            #expect((t["seconds"] as? Double ?? 0) > 0)
        }
        // Completed trials evaluated 6 times; a pruned one stopped at a rung (2 or 4). With seed 42 one is pruned.
        let pruned = trials.filter { $0["status"] as? String == "pruned" }
        #expect(!pruned.isEmpty, "\(stdout)")
        for t in trials {
            let count = (t["evaluations"] as? [Any])?.count
            #expect(t["status"] as? String == "pruned" ? [1, 2, 4].contains(count) : count == 6)
        }
        // The best trial is the completed one with the highest value (the earliest of equals).
        let completed = trials.filter { $0["status"] as? String == "completed" }
        let top = try #require(completed.compactMap { $0["value"] as? Double }.max())
        #expect(report["best_value"] as? Double == top)
        #expect(report["best_trial"] as? Int == completed.first { $0["value"] as? Double == top }?["number"] as? Int)
        #expect(stderr.contains("trial 0: lr=") && stderr.contains(" pruned") && stderr.contains("model card written to \(out)/README.md"))

        // --out holds the best trial's model and card, nothing of the search beside it.
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        #expect(Set(["model.safetensors", "config.json", "vocab.txt", "README.md", "tune.json", "metrics.jsonl"]).isSubset(of: files))
        #expect(!files.contains("checkpoint") && !files.contains("best"), "\(files)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["runs", "tuned"])
        let (es, eout, eerr) = try CLI.run([
            "evaluate", "--model", out, "--data", TrainCLITests.fixture("tiny-sentiment-test.csv"), "--json",
        ])
        #expect(es == 0, "\(eerr)")
        #expect(try Self.json(eout)["accuracy"] as? Double == top)
        #expect(try String(contentsOfFile: out + "/README.md", encoding: .utf8).contains("finch tune"))

        // The store: the study as a tune run, each trial as a tune-trial run naming it.
        let (ls, listed, _) = try CLI.run(["runs", "list", "--runs", runs, "--json"])
        #expect(ls == 0)
        let all = try listed.split(separator: "\n").map { try Self.json(String($0)) }
        let study = try #require(all.first { $0["kind"] as? String == "tune" })
        let studyID = try #require(study["id"] as? Int)
        #expect(report["study_run_id"] as? Int == studyID)
        #expect(study["status"] as? String == "finished")
        #expect((study["final_metrics"] as? [String: Double])?["best_accuracy"] == top)
        let recorded = all.filter { $0["kind"] as? String == "tune-trial" }
        #expect(recorded.count == 4)
        for t in trials {
            let run = try #require(recorded.first { $0["id"] as? Int == t["run_id"] as? Int })
            let parameters = try #require(run["parameters"] as? [String: String])
            #expect(parameters["study"] == String(studyID) && parameters["trial"] == String(t["number"] as! Int))
            // The store keeps Swift's shortest text of the value; JSONSerialization may read tune.json's last digit apart.
            let recordedLR = try #require(Double(parameters["learning_rate"] ?? ""))
            let searchedLR = try #require((t["parameters"] as? [String: Any])?["lr"] as? Double)
            #expect(abs(recordedLR - searchedLR) <= 1e-12 * searchedLR)
            #expect(run["status"] as? String == (t["status"] as? String == "pruned" ? "pruned" : "finished"))
        }
        let ids = recorded.compactMap { $0["id"] as? Int }.sorted().prefix(2).map(String.init)
        let (cs, compared, cerr) = try CLI.run(["runs", "compare"] + ids + ["--runs", runs, "--metric", "eval_accuracy"])
        #expect(cs == 0 && compared.contains("* learning_rate"), "\(cerr)")
        let (ts, table, _) = try CLI.run(["runs", "list", "--runs", runs])
        #expect(ts == 0 && table.contains("tune-trial") && table.contains("pruned"))

        // The same seed gives the same trials, one after another or two at once.
        let (ps, pout, perr) = try CLI.run(
            Self.arguments(out: root + "/again", runs: runs, extra: ["--sampler", "random", "--json", "--parallel", "2"]))
        #expect(ps == 0, "\(perr)")
        let again = try #require(try Self.json(pout)["trials"] as? [[String: Any]])
        #expect(
            again.map { NSDictionary(dictionary: $0["parameters"] as! [String: Any]) }
                == trials.map {
                    NSDictionary(dictionary: $0["parameters"] as! [String: Any])
                })
    }

    /// Ctrl-C: the running trial stops (recorded interrupted, failed in tune.json), no new trial
    /// starts, the best completed trial is still exported, and finch exits 130.
    @Test func ctrlCStopsTheSearchAndExportsTheBestCompletedTrial() throws {
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let log = root + "/stderr.txt", out = root + "/tuned", runs = root + "/runs"
        try #require(FileManager.default.createFile(atPath: log, contents: nil))
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = [
            "tune", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"), "--epochs",
            "4", "--batch-size", "8", "--max-length", "16", "--search", "lr=1e-2", "--search", "epochs=4,400", "--trials", "3",
            "--sampler", "random", "--seed", "2", "--out", out, "--runs", runs, "--json",
        ]
        p.environment = CLI.environment()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try p.run()
        // With seed 2 the random sampler gives trial 0 4 epochs, trial 1 400: interrupt once trial 0
        // has completed and trial 1 is under way.
        let deadline = Date().addingTimeInterval(300)
        func seen() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        var text = seen()
        while p.isRunning && Date() < deadline && !(text.contains(" completed: ") && text.contains("epochs=400\n")) {
            usleep(50_000)
            text = seen()
        }
        try #require(p.isRunning, "the search ended before it was interrupted: \(text)")
        usleep(300_000)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130, "\(seen())")
        let report = try Self.json(try String(contentsOfFile: out + "/tune.json", encoding: .utf8))
        let trials = try #require(report["trials"] as? [[String: Any]])
        let stopped = try #require(trials.last)
        #expect(trials.count < 3 || trials.contains { $0["status"] as? String == "failed" })
        #expect(stopped["status"] as? String == "failed" && stopped["error"] as? String == "stopped on request before its end")
        #expect((stopped["parameters"] as? [String: Any])?["epochs"] as? Int == 400)
        let best = try #require(trials.first { $0["number"] as? Int == report["best_trial"] as? Int })
        #expect(best["status"] as? String == "completed")
        #expect(FileManager.default.fileExists(atPath: out + "/model.safetensors"))
        let (_, listed, _) = try CLI.run(["runs", "list", "--runs", runs, "--json"])
        let statuses = try listed.split(separator: "\n").map { try Self.json(String($0)) }.map {
            "\($0["kind"] as? String ?? "") \($0["status"] as? String ?? "")"
        }
        #expect(statuses.contains("tune interrupted") && statuses.contains("tune-trial interrupted"), "\(statuses)")
    }

    @Test func tpeSearchPrintsATable() throws {
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/tuned"
        let (status, stdout, stderr) = try CLI.run(
            Self.arguments(
                out: out, runs: root + "/runs", extra: ["--sampler", "tpe", "--startup-trials", "2", "--search", "batch-size=4,8"]))
        #expect(status == 0, "\(stderr)")
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].split(separator: " ") == ["trial", "status", "accuracy", "evals", "seconds", "lr", "batch-size"], "\(stdout)")
        #expect(lines[1...4].map { $0.split(separator: " ").first } == ["0", "1", "2", "3"])
        #expect(lines[6].hasPrefix("best: trial ") && lines[6].hasSuffix("; model written to \(out)"), "\(stdout)")
        let report = try Self.json(try String(contentsOfFile: out + "/tune.json", encoding: .utf8))
        #expect(report["sampler"] as? String == "tpe" && report["startup_trials"] as? Int == 2)
        #expect(FileManager.default.fileExists(atPath: out + "/model.safetensors"))
    }

    @Test func nerTrialsRun() throws {
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (status, stdout, stderr) = try CLI.run([
            "tune", "ner", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-ner.bio"), "--epochs", "2",
            "--batch-size", "8", "--max-length", "24", "--search", "lr=1e-2,3e-2", "--trials", "2", "--sampler", "random",
            "--out", root + "/tagger", "--runs", root + "/runs", "--json",
        ])
        #expect(status == 0, "\(stderr)")
        let report = try Self.json(stdout)
        #expect(report["metric"] as? String == "f1" && report["task"] as? String == "ner")
        #expect((report["trials"] as? [Any])?.count == 2)
        #expect(FileManager.default.fileExists(atPath: root + "/tagger/model.safetensors"))
    }

    @Test(arguments: [
        (["--search", "lr=loguniform(0,1e-4)"], "--search 'lr=loguniform(0,1e-4)': loguniform needs a low end above 0, got 0"),
        (
            ["--search", "lrate=1e-5"],
            "--search 'lrate=1e-5': unknown setting 'lrate'; the settings that can be searched are lr, batch-size"
        ),
        (["--search", "batch-size=uniform(8,32)"], "'batch-size' takes whole numbers: use int(a,b) or a list"),
        ([], "give at least one --search name=spec"),
        (["--search", "lr=1e-5,2e-5", "--metric", "loss"], "--metric loss: finch tune maximizes the dev metric"),
        (["--search", "lr=1e-5,2e-5", "--trials", "0"], "--trials must be at least 1, got 0"),
        (["--search", "lr=1e-5,2e-5", "--reduction-factor", "1"], "--reduction-factor must be at least 2, got 1"),
        (["--search", "lr=1e-5,2e-5", "--resume"], "Unknown option '--resume'"),
    ])
    func badOptionsAreRefusedWithTheirMessage(extra: [String], message: String) throws {
        try Self.refused(extra: extra, message: message)
    }

    /// --out is replaced at the end, so a folder holding other files is refused before any training.
    @Test func anOutFolderWithOtherFilesIsRefused() throws {
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: root + "/out/notes.txt"))
        let (status, _, stderr) = try CLI.run([
            "tune", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"),
            "--out", root + "/out", "--runs", root + "/runs", "--search", "lr=1e-2,2e-2",
        ])
        #expect(status == 64)
        #expect(stderr.contains("holds files that finch tune did not write (it has no tune.json)"), "\(stderr)")
        #expect(try String(contentsOfFile: root + "/out/notes.txt", encoding: .utf8) == "mine")
        // The current folder, or one above it, is refused too (checked without running finch).
        for path in [".", "..", FileManager.default.currentDirectoryPath, "/"] {
            #expect(throws: ValidationError.self) { try TuneOptions.checkReplaceable(out: path) }
        }
        #expect(throws: Never.self) { try TuneOptions.checkReplaceable(out: root + "/new") }
    }

    static func refused(extra: [String], message: String) throws {
        let root = Self.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (status, _, stderr) = try CLI.run(
            [
                "tune", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"),
                "--out", root + "/out", "--runs", root + "/runs",
            ] + extra)
        #expect(status != 0)
        #expect(stderr.contains(message), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/out"))
    }
}
