import FinchNN
import Foundation
import Testing

/// `finch train`, `evaluate` and `predict` end to end on a tiny model.
@Suite struct TrainCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static var model: String { fixtures.appendingPathComponent("tiny-bert-wordpiece").path }
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static func temp() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("finch-cli-\(UUID().uuidString)").path }

    static func json(_ line: Substring) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func classifyTrainEvaluatePredict() throws {
        let out = Self.temp()
        let train = Self.fixture("tiny-sentiment.csv")
        let (status, stdout, stderr) = try CLI.run([
            "train", "classify", "--model", Self.model, "--train", train, "--out", out,
            "--epochs", "10", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16",
        ])
        #expect(status == 0, "\(stderr)")
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == 15, "\(stdout)")
        #expect(lines[0] == "dev: 5 examples (10 % of \(train), seed 42) held out from training; no development file given (--dev)")
        #expect(lines[1...3] == ["", "evaluation after the last epoch:", ""])
        // scikit-learn's report on the 5 held-out examples: header, a row per label, the averages.
        #expect(lines[4] == "              precision    recall  f1-score   support")
        let rows = lines[6...7].map { $0.split(separator: " ").map(String.init) }
        #expect(rows.map { $0[0] } == ["neg", "pos"])
        #expect(rows.map { Int($0[4])! }.reduce(0, +) == 5)
        #expect(lines[9].hasPrefix("    accuracy") && lines[9].hasSuffix(" 5"))
        #expect(lines[10].hasPrefix("   macro avg") && lines[11].hasPrefix("weighted avg"))
        // The best accuracy is the highest of the run's evaluations, as metrics.jsonl records them.
        let evaluations = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try Self.json($0) }.filter { $0["kind"] as? String == "eval" }
        #expect(evaluations.count == 10)
        let best = evaluations.compactMap { $0["accuracy"] as? Double }.max()!
        let bestStep = evaluations.first { $0["accuracy"] as? Double == best }!["step"] as! Int
        #expect(lines[13] == String(format: "best accuracy %.4f at step %d; model written to %@", best, bestStep, out))
        #expect(stderr.hasPrefix("training on 43 examples, 10 epochs, 60 steps\n"), "\(stderr)")
        for file in ["config.json", "model.safetensors", "vocab.txt", "finch_task.json", "metrics.jsonl", "training_curves.svg"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        // With a dev set the exported weights are the best evaluation's.
        #expect(try Self.weights(out + "/model.safetensors") == Self.weights(out + "/best/model.safetensors"))
        // Accuracy on sentences the model never saw (new subjects, verbs and word orders).
        let (es, eout, _) = try CLI.run(["evaluate", "--model", out, "--data", Self.fixture("tiny-sentiment-test.csv"), "--json"])
        #expect(es == 0)
        let metrics = try Self.json(Substring(eout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Set(metrics.keys) == ["accuracy", "macro_f1", "weighted_f1", "labels"])
        #expect((metrics["accuracy"] as? Double ?? 0) >= 0.9)
        let labels = try #require(metrics["labels"] as? [String: [String: Any]])
        #expect(labels["neg"]?["support"] as? Int == 5 && labels["pos"]?["support"] as? Int == 5)
        let (ps, pout, _) = try CLI.run(["predict", "--model", out], stdin: "the actor was very good\nthe film is awful\n")
        #expect(ps == 0)
        let predictions = pout.split(separator: "\n")
        #expect(predictions.count == 2)
        let first = try Self.json(predictions[0]), second = try Self.json(predictions[1])
        #expect(first["label"] as? String == "pos")
        #expect(second["label"] as? String == "neg")
        let scores = try #require(first["scores"] as? [String: Double])
        #expect(Set(scores.keys) == ["neg", "pos"] && Swift.abs(scores.values.reduce(0, +) - 1) < 1e-5)
        #expect(first["score"] as? Double == scores["pos"])
    }

    static func weights(_ path: String) throws -> [String: [Float]] {
        try SafetensorsFile(contentsOf: URL(fileURLWithPath: path)).tensors().mapValues(\.scalars)
    }

    @Test func exportLastKeepsTheFinalWeights() throws {
        let out = Self.temp()
        let (status, _, stderr) = try CLI.run([
            "train", "classify", "--model", Self.model, "--train", Self.fixture("tiny-sentiment.csv"), "--out", out,
            "--epochs", "3", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16", "--export-last",
        ])
        #expect(status == 0, "\(stderr)")
        let exported = try Self.weights(out + "/model.safetensors")
        let final = try Self.weights(out + "/checkpoint/model.safetensors")
        #expect(!exported.isEmpty)
        #expect(exported.allSatisfy { final[$0.key] == $0.value })
        // The best evaluation here is epoch 1's (seeded), so the two exports differ.
        #expect(try Self.weights(out + "/best/model.safetensors").contains { final[$0.key] != $0.value })
    }

    @Test func nerTrainPredictGivesWholeWordsWithOffsets() throws {
        let out = Self.temp()
        let (status, stdout, stderr) = try CLI.run([
            "train", "ner", "--model", Self.model, "--train", Self.fixture("tiny-ner.bio"), "--out", out,
            "--epochs", "10", "--batch-size", "8", "--lr", "1e-2", "--max-length", "24",
        ])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.contains("micro avg"))
        let (ps, pout, _) = try CLI.run(
            ["predict", "--model", out, "--format", "jsonl"],
            stdin: #"{"text": "Mary   visited Paris ."}"# + "\n")
        #expect(ps == 0)
        let entities = try #require(
            try Self.json(Substring(pout.trimmingCharacters(in: .whitespacesAndNewlines)))["entities"] as? [[String: Any]])
        #expect(entities.count == 2)
        #expect(
            entities.first?["text"] as? String == "Mary" && entities.first?["start"] as? Int == 0 && entities.first?["end"] as? Int == 4)
        #expect(
            entities.last?["text"] as? String == "Paris" && entities.last?["label"] as? String == "LOC"
                && entities.last?["start"] as? Int == 15)
        let (es, eout, _) = try CLI.run(["evaluate", "--model", out, "--data", Self.fixture("tiny-ner.bio"), "--json"])
        #expect(es == 0)
        #expect(
            Set(try Self.json(Substring(eout.trimmingCharacters(in: .whitespacesAndNewlines))).keys) == [
                "precision", "recall", "f1", "labels",
            ])
    }

    @Test func loraAdaptersSavedOrMerged() throws {
        let common = [
            "train", "classify", "--model", Self.model, "--train", Self.fixture("tiny-sentiment.csv"),
            "--epochs", "3", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16", "--lora-rank", "4",
        ]
        let adapters = Self.temp(), merged = Self.temp()
        #expect(try CLI.run(common + ["--out", adapters]).0 == 0)
        #expect(try CLI.run(common + ["--out", merged, "--merge"]).0 == 0)
        #expect(FileManager.default.fileExists(atPath: adapters + "/adapter_model.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: merged + "/adapter_model.safetensors"))
        // Both give the same predictions: merging folds the adapters in exactly.
        let input = "the movie was very good\nthe story was boring\n"
        let a = try CLI.run(["predict", "--model", adapters], stdin: input).1
        let b = try CLI.run(["predict", "--model", merged], stdin: input).1
        let pa = try a.split(separator: "\n").map { try Self.json($0)["score"] as? Double ?? -1 }
        let pb = try b.split(separator: "\n").map { try Self.json($0)["score"] as? Double ?? -2 }
        #expect(pa.count == 2 && zip(pa, pb).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
    }

    @Test func multiLabelClassification() throws {
        let dir = Self.temp()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Labels: the movie's quality and, independently, whether the plot is mentioned.
        var rows: [String] = []
        for (i, w) in ["good", "great", "fun", "bad", "awful", "boring"].enumerated() {
            for subject in ["the movie", "the plot", "the film", "the story"] {
                var labels = [i < 3 ? "pos" : "neg"]
                if subject == "the plot" || subject == "the story" { labels.append("story") }
                rows.append("\(subject) was very \(w),\(labels.joined(separator: "|"))")
            }
        }
        try (["text,label"] + rows + rows).joined(separator: "\n").write(toFile: dir + "/ml.csv", atomically: true, encoding: .utf8)
        let out = dir + "/model"
        let (status, stdout, stderr) = try CLI.run([
            "train", "classify", "--multi-label", "--model", Self.model, "--train", dir + "/ml.csv", "--dev", dir + "/ml.csv",
            "--out", out, "--epochs", "12", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16",
        ])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.contains("samples avg"))
        let config = try String(contentsOfFile: out + "/config.json", encoding: .utf8)
        #expect(config.contains("multi_label_classification"))
        let (_, pout, _) = try CLI.run(["predict", "--model", out], stdin: "the story was very fun\nthe film was very bad\n")
        let lines = pout.split(separator: "\n")
        #expect(lines.count == 2)
        // Each label is decided on its own: the story label follows the subject alone.
        // (The tiny random model learns it quickly; sentiment needs more steps than a test should take.)
        let first = try #require(try Self.json(lines[0])["labels"] as? [String])
        let second = try #require(try Self.json(lines[1])["labels"] as? [String])
        #expect(first.contains("story") && !second.contains("story"))
        #expect((try Self.json(lines[0])["scores"] as? [String: Double])?.count == 3)
    }

    @Test func badInputIsNamed() throws {
        let dir = Self.temp()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "sentence,label\nhello,pos\nbye,neg\n".write(toFile: dir + "/cols.csv", atomically: true, encoding: .utf8)
        let (s1, _, e1) = try CLI.run(["train", "classify", "--model", Self.model, "--train", dir + "/cols.csv", "--out", dir + "/o"])
        #expect(s1 != 0)
        #expect(e1.contains("cols.csv") && e1.contains("text"), "\(e1)")
        try "text,label\nthe movie was good,happy\n".write(toFile: dir + "/dev.csv", atomically: true, encoding: .utf8)
        let (s2, _, e2) = try CLI.run([
            "train", "classify", "--model", Self.model, "--train", Self.fixture("tiny-sentiment.csv"),
            "--dev", dir + "/dev.csv", "--out", dir + "/o2",
        ])
        #expect(s2 != 0)
        #expect(e2.contains("dev.csv") && e2.contains("happy"), "\(e2)")
        let (s3, _, e3) = try CLI.run([
            "train", "classify", "--model", dir, "--train", Self.fixture("tiny-sentiment.csv"), "--out", Self.temp(),
        ])
        #expect(s3 != 0)
        #expect(e3.contains("config.json"), "\(e3)")
        let (s4, _, e4) = try CLI.run(["predict", "--model", Self.model], stdin: "x\n")
        #expect(s4 != 0)
        #expect(e4.contains("fine-tuned"), "\(e4)")
    }
}
