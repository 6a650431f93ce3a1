import Foundation
import Testing

/// A folder holding a copy of the tiny model and the training files, so a test
/// can check that a command created, changed or deleted nothing outside `--out`.
struct TrainSandbox {
    let root: URL
    var model: String { root.appendingPathComponent("model").path }
    var sentiment: String { root.appendingPathComponent("sentiment.csv").path }
    var ner: String { root.appendingPathComponent("ner.bio").path }
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("finch-robust-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        try fm.copyItem(at: TrainCLITests.fixtures.appendingPathComponent("tiny-bert-wordpiece"), to: root.appendingPathComponent("model"))
        try fm.copyItem(atPath: TrainCLITests.fixture("tiny-sentiment.csv"), toPath: sentiment)
        try fm.copyItem(atPath: TrainCLITests.fixture("tiny-ner.bio"), toPath: ner)
    }

    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// Every file under the sandbox with its contents, except those under `excluding` (an `--out`).
    func snapshot(excluding: String? = nil) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        for relative in try fm.subpathsOfDirectory(atPath: root.path) {
            let full = root.appendingPathComponent(relative).path
            if let excluding, full == excluding || full.hasPrefix(excluding + "/") { continue }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            out[relative] = isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: full))
        }
        return out
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Regression tests for the training commands' defects of the bad-input probe
/// (issue 10, items 4, 6, 7, 8, 11): each asserts the exit code, the message,
/// and that nothing was created, changed or deleted outside `--out`.
@Suite struct TrainRobustnessTests {
    static let quick = ["--epochs", "1", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16"]

    /// Runs a command that must be refused before any work: exit 64 (a usage
    /// error; 1 for a limit found once the model is located), the message on
    /// stderr, no `--out` and the sandbox untouched.
    func expectRefused(
        _ arguments: [String], _ message: String, in sandbox: TrainSandbox, out: String, status expected: Int32 = 64,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try sandbox.snapshot()
        let (status, stdout, stderr) = try CLI.run(arguments)
        #expect(status == expected, "\(arguments): \(stderr)", sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("Error: \(message)\n"), "\(arguments): \(stderr)", sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out), "\(out) was created", sourceLocation: sourceLocation)
        #expect(try sandbox.snapshot() == before, "files outside --out changed", sourceLocation: sourceLocation)
    }

    func classify(_ s: TrainSandbox, out: String, _ extra: [String]) -> [String] {
        ["train", "classify", "--model", s.model, "--train", s.sentiment, "--out", out] + Self.quick + extra
    }

    /// Issue 10 item 11: a damaged `finch_task.json` is one line naming the file, not a DecodingError dump.
    @Test func aDamagedTaskFileIsNamed() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let task = s.path("model/finch_task.json")
        for garbage in ["{not json", "{\"task\": 5}"] {
            try garbage.write(toFile: task, atomically: true, encoding: .utf8)
            let (status, stdout, stderr) = try CLI.run(["predict", "--model", s.model], stdin: "a fine film\n")
            #expect(status == 1, "\(garbage): \(stderr)")
            #expect(stderr.hasPrefix("Error: \(task): "), "\(garbage): \(stderr)")
            #expect(!stderr.contains("DecodingError") && !stderr.contains("dataCorrupted"), "\(stderr)")
            #expect(stdout.isEmpty)
        }
    }

    @Test func loraDropoutOutsideItsRangeIsRefusedNotATrap() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        for value in ["2", "1", "-0.5", "nan"] {
            let shown = Double(value)!.description
            try expectRefused(
                classify(s, out: s.path("o"), ["--lora-rank", "4", "--lora-dropout=\(value)"]),
                "--lora-dropout must be in [0, 1), got \(shown)", in: s, out: s.path("o"))
        }
    }

    @Test func numericOptionsOutsideTheirRangeAreRefused() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        try expectRefused(
            classify(s, out: out, ["--max-grad-norm=-1"]),
            "--max-grad-norm must be a number ≥ 0 (0 turns clipping off), got -1.0", in: s, out: out)
        try expectRefused(
            classify(s, out: out, ["--adversarial-epsilon", "nan"]),
            "--adversarial-epsilon must be a positive number", in: s, out: out)
        try expectRefused(
            classify(s, out: out, ["--lora-rank", "4", "--lora-alpha", "nan"]),
            "--lora-alpha must be a positive number, got nan", in: s, out: out)
    }

    @Test func settingsBeyondTheModelAreRefusedWithItsLimit() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        try expectRefused(
            classify(s, out: out, ["--lora-rank", "33"]), "--lora-rank must be at most 32, the model's hidden size",
            in: s, out: out, status: 1)
        try expectRefused(
            classify(s, out: out, ["--freeze-layers", "3"]),
            "--freeze-layers must be at most 2, the model's number of layers", in: s, out: out, status: 1)
        try expectRefused(
            ["train", "classify", "--model", s.model, "--train", s.sentiment, "--out", out, "--max-length", "65"],
            "--max-length must be at most 64, the model's position limit (max_position_embeddings)", in: s, out: out,
            status: 1)
    }

    @Test func metricsAreCheckedBeforeAnyDataIsRead() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o"), missing = s.path("no-such-file.csv")
        // The training file does not exist: the metric is refused first.
        let (status, _, stderr) = try CLI.run(["train", "classify", "--model", s.model, "--train", missing, "--out", out, "--metric", "f2"])
        #expect(status == 64)
        #expect(stderr.contains("Error: The value 'f2' is invalid for '--metric <metric>'"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        try expectRefused(
            ["train", "ner", "--model", s.model, "--train", missing, "--out", out, "--metric", "accuracy"],
            "--metric accuracy is not an entity-level metric; a tagger reports f1, precision, recall", in: s, out: out)
        try expectRefused(
            ["train", "classify", "--model", s.model, "--train", missing, "--out", out, "--metric", "f1"],
            "--metric f1 is not reported by a classifier; choose one of accuracy, macro_f1, weighted_f1, loss",
            in: s, out: out)
    }

    @Test func theOutputFolderMayNotBeTheModelOrInsideIt() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        for out in [s.model, s.model + "/", s.model + "/fine-tuned", s.path("model/../model")] {
            let before = try s.snapshot()
            let (status, _, stderr) = try CLI.run(classify(s, out: out, []))
            #expect(status == 64)
            #expect(stderr.hasPrefix("Error: --out must not be the model directory or inside it"), "\(stderr)")
            #expect(try s.snapshot() == before, "the model folder changed")
        }
    }

    @Test func trainingDataWithOneLabelIsRefused() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let rows = (0..<12).map { "the movie was very good \($0 % 3),pos" }
        let train = try s.write("one.csv", "text,label\n" + rows.joined(separator: "\n") + "\n")
        let out = s.path("o")
        let before = try s.snapshot()
        let (status, _, stderr) = try CLI.run(["train", "classify", "--model", s.model, "--train", train, "--out", out] + Self.quick)
        #expect(status == 1)
        #expect(stderr == "Error: \(train): every example has the label 'pos'; training needs at least two labels\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try s.snapshot() == before)
    }

    @Test func aLabelOnlyTheHoldOutHasIsBlamedOnTheHoldOut() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        // Ten examples, ten labels: the one held out (10 %) always has a label training lacks.
        let rows = (0..<10).map { "the movie was very good,l\($0)" }
        let train = try s.write("ten.csv", "text,label\n" + rows.joined(separator: "\n") + "\n")
        let out = s.path("o")
        let (status, _, stderr) = try CLI.run(["train", "classify", "--model", s.model, "--train", train, "--out", out] + Self.quick)
        #expect(status == 1)
        #expect(stderr.contains("fell only into the automatic 10 % hold-out (seed 42), so training never sees it"), "\(stderr)")
        #expect(stderr.hasPrefix("Error: \(train):"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func resumeNeedsACheckpointUnlessAskedToStartFresh() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        let before = try s.snapshot()
        let (status, _, stderr) = try CLI.run(classify(s, out: out, ["--resume"]))
        #expect(status == 1)
        #expect(stderr == "Error: cannot resume: there is no checkpoint in \(out)/checkpoint\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try s.snapshot() == before)
        // --resume-or-start starts from step 0.
        let (started, _, startErr) = try CLI.run(classify(s, out: out, ["--resume-or-start"]))
        #expect(started == 0, "\(startErr)")
        #expect(startErr.hasPrefix("training on 43 examples, 1 epochs, 6 steps\n"), "\(startErr)")
        // Weights missing from the checkpoint: an error, nothing else touched.
        try FileManager.default.removeItem(atPath: out + "/checkpoint/model.safetensors")
        let outside = try s.snapshot()
        let (broken, _, brokenErr) = try CLI.run(classify(s, out: out, ["--resume"]))
        #expect(broken == 1)
        #expect(brokenErr == "Error: cannot resume: the checkpoint in \(out)/checkpoint lacks model.safetensors\n")
        #expect(try s.snapshot() == outside)
    }

    @Test func resumingAFinishedRunChangesNoLog() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        #expect(try CLI.run(classify(s, out: out, ["--eval-steps", "4"])).0 == 0)
        let log = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8)
        #expect(log.split(separator: "\n").filter { $0.contains("\"kind\":\"eval\"") }.count == 2)  // steps 4 and 6
        let (status, _, stderr) = try CLI.run(classify(s, out: out, ["--eval-steps", "4", "--resume"]))
        #expect(status == 0, "\(stderr)")
        #expect(try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8) == log)
    }

    @Test func aTamperedTrainerStateIsRejectedWithTheFileNamed() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        #expect(try CLI.run(classify(s, out: out, [])).0 == 0)
        let state = out + "/checkpoint/trainer_state.json"
        let text = try String(contentsOfFile: state, encoding: .utf8)
        let tampered = text.replacingOccurrences(of: "\"globalStep\" : 6", with: "\"globalStep\" : -6")
        try tampered.write(toFile: state, atomically: true, encoding: .utf8)
        let (status, _, stderr) = try CLI.run(classify(s, out: out, ["--resume"]))
        #expect(status == 1)
        #expect(stderr == "Error: \(state): cannot resume from this trainer state: step -6 is outside 0…6\n")
        try "garbage".write(toFile: state, atomically: true, encoding: .utf8)
        let (status2, _, stderr2) = try CLI.run(classify(s, out: out, ["--resume"]))
        #expect(status2 == 1)
        #expect(stderr2 == "Error: \(state): cannot resume from this trainer state: not valid JSON (the top level)\n")
    }

    /// Starts a long `train classify` into `out` and returns once it trains.
    func startLongRun(_ s: TrainSandbox, out: String) throws -> (Process, Pipe, Pipe, Data) {
        let p = Process()
        p.executableURL = CLI.binary
        p.environment = CLI.environment()
        p.arguments = [
            "train", "classify", "--model", s.model, "--train", s.sentiment, "--out", out, "--epochs", "400",
            "--batch-size", "8", "--max-length", "16",
        ]
        let errPipe = Pipe(), outPipe = Pipe()
        p.standardError = errPipe
        p.standardOutput = outPipe
        try p.run()
        // Interrupt once training runs (its first line is on stderr).
        var stderr = Data()
        while !String(decoding: stderr, as: UTF8.self).contains("training on") {
            let chunk = errPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderr += chunk
        }
        return (p, errPipe, outPipe, stderr)
    }

    @Test func interruptExits130AfterSavingACheckpoint() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        let (p, errPipe, outPipe, started) = try startLongRun(s, out: out)
        var stderr = started
        p.interrupt()
        stderr += errPipe.fileHandleForReading.readDataToEndOfFile()
        let stdout = String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let err = String(decoding: stderr, as: UTF8.self)
        #expect(p.terminationReason == .exit && p.terminationStatus == 130, "\(err)")
        #expect(err.contains("checkpoint saved"), "\(err)")
        #expect(stdout.contains("continue with --resume"), "\(stdout)")
        #expect(FileManager.default.fileExists(atPath: out + "/checkpoint/trainer_state.json"))
        #expect(!FileManager.default.fileExists(atPath: out + "/model.safetensors"))
    }

    @Test func aSecondRunIntoTheSameOutputIsRefused() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        let (first, errPipe, outPipe, _) = try startLongRun(s, out: out)
        defer { if first.isRunning { first.terminate() } }
        let (status, _, stderr) = try CLI.run(classify(s, out: out, []))
        #expect(status == 1)
        #expect(stderr == "Error: \(out): another Finch process is writing to this folder; wait for it to finish or write elsewhere\n")
        first.interrupt()
        _ = errPipe.fileHandleForReading.readDataToEndOfFile()
        _ = outPipe.fileHandleForReading.readDataToEndOfFile()
        first.waitUntilExit()
        #expect(first.terminationStatus == 130)
        // The log is the first run's alone: steps in order, each once.
        let steps = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try TrainCLITests.json($0)["step"] as! Int }
        #expect(steps == steps.sorted() && Set(steps).count == steps.count)
    }

    @Test func recommendChoicesAreCheckedBeforeAnyDataIsRead() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("finch-no-such-\(UUID().uuidString).csv").path
        for (option, value) in [("--split", "kfolds"), ("--metrics", "rmse")] {
            let (status, stdout, stderr) = try CLI.run(["recommend", "evaluate", "--ratings", missing, "--algorithm", "svd", option, value])
            #expect(status == 64)
            #expect(stderr.hasPrefix("Error: The value '\(value)' is invalid for '\(option) <\(option.dropFirst(2))>'"), "\(stderr)")
            #expect(!stderr.contains(missing) && stdout.isEmpty, "\(stderr)")
        }
    }

    @Test func divergedTrainingStopsAtTheStepAndSavesNothing() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        let before = try s.snapshot(excluding: out)
        // 1e39 is a finite learning rate but an infinite Float step: every weight blows up at step 1.
        let (status, stdout, stderr) = try CLI.run([
            "train", "classify", "--model", s.model, "--train", s.sentiment, "--out", out, "--epochs", "1", "--batch-size", "8",
            "--max-length", "16", "--lr", "1e39", "--warmup-ratio", "0",
        ])
        #expect(status == 1)
        #expect(stdout.isEmpty)
        let message =
            "Error: parameter bert.embeddings.word_embeddings.weight became NaN or infinite at step 1 (learning rate 1e+39);"
            + " the learning rate is likely too high or gradients exploded (clip the gradient norm); nothing further was saved\n"
        #expect(stderr.hasSuffix(message), "\(stderr)")
        // No model, no checkpoint: only the lock and the (empty) log the run started.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [".finch.lock", "metrics.jsonl"])
        #expect(try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).isEmpty)
        #expect(try s.snapshot(excluding: out) == before)
    }

    /// Every training setting's range, checked by the library and reported with its flag.
    @Test(arguments: [
        (["--epochs", "0"], "--epochs must be at least 1"),
        (["--batch-size", "0"], "--batch-size must be at least 1"),
        (["--max-length", "2"], "--max-length must be at least 4"),
        (["--lora-rank", "0"], "--lora-rank must be at least 1"),
        (["--freeze-layers=-1"], "--freeze-layers must not be negative"),
        (["--warmup-ratio", "1"], "--warmup-ratio must be in [0, 1)"),
        (["--eval-steps", "0"], "--eval-steps must be at least 1"),
        (["--lr=-1"], "--lr must be a positive number"),
        (["--lr", "nan"], "--lr must be a positive number"),
        (["--weight-decay", "nan"], "--weight-decay must be a number ≥ 0"),
        (["--logging-steps", "0"], "--logging-steps must be at least 1"),
        (["--early-stopping-patience", "0"], "--early-stopping-patience must be at least 1"),
        (["--lora-rank", "2", "--lora-targets", ","], "--lora-targets must name at least one module"),
        (["--class-weights", "pos=-1"], "The value 'pos=-1' is invalid for '--class-weights <class-weights>'"),
    ])
    func settingRangesAreReportedWithTheirFlag(_ option: [String], _ message: String) throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        let out = s.path("o")
        let arguments = ["train", "classify", "--model", s.model, "--train", s.sentiment, "--out", out] + option
        try expectRefused(arguments, message, in: s, out: out)
    }

    @Test func evaluateReportsTheLabelsPresentAsScikitLearnDoes() throws {
        let s = try TrainSandbox()
        defer { s.remove() }
        // A three-label model: the third label has its own words ("actor", "not").
        let sentiment = try String(contentsOfFile: s.sentiment, encoding: .utf8)
        let meh = (0..<16).map { "the actor is not \(["fun", "bad", "good", "boring"][$0 % 4]),meh" }
        let train = try s.write("three.csv", sentiment + meh.joined(separator: "\n") + "\n")
        let texts = ["the movie was very good", "the film was very bad", "the story was very fun"]
        let test = try s.write("two.csv", "text,label\n\(texts[0]),pos\n\(texts[1]),neg\n\(texts[2]),pos\n")
        let out = s.path("o")
        let (status, _, stderr) = try CLI.run([
            "train", "classify", "--model", s.model, "--train", train, "--out", out, "--epochs", "10", "--batch-size", "8", "--lr", "1e-2",
            "--max-length", "16",
        ])
        #expect(status == 0, "\(stderr)")
        let (es, eout, _) = try CLI.run(["evaluate", "--model", out, "--data", test, "--json"])
        #expect(es == 0)
        let metrics = try TrainCLITests.json(Substring(eout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let rows = try #require(metrics["labels"] as? [String: [String: Any]])
        let (ps, pout, _) = try CLI.run(["predict", "--model", out], stdin: texts.joined(separator: "\n") + "\n")
        #expect(ps == 0)
        let predicted = try pout.split(separator: "\n").map { try TrainCLITests.json($0)["label"] as! String }
        // scikit-learn's rows: the labels of the truth or the predictions, never a model label absent from both.
        try #require(!predicted.contains("meh"), "the model predicted the third label; the case needs it absent")
        #expect(Set(rows.keys) == Set(["pos", "neg"] + predicted))
        #expect(rows["meh"] == nil)
        // The macro average is over those rows only (a row with support 0 would pull it down).
        let f1s = rows.values.map { $0["f1"] as! Double }
        #expect(Swift.abs((metrics["macro_f1"] as! Double) - f1s.reduce(0, +) / Double(f1s.count)) < 1e-12)
    }
}
