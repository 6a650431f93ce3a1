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
        let (status, stdout, stderr) = try CLI.run([
            "train", "classify", "--model", Self.model, "--train", Self.fixture("tiny-sentiment.csv"), "--out", out,
            "--epochs", "10", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16",
        ])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.contains("dev: 5 examples (10 % of"), "\(stdout)")
        #expect(stdout.contains("weighted avg"))
        #expect(stderr.contains("train"))
        for file in ["config.json", "model.safetensors", "vocab.txt", "finch_task.json", "metrics.jsonl", "training_curves.svg"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        // With a dev set the exported weights are the best evaluation's.
        #expect(try Self.weights(out + "/model.safetensors") == Self.weights(out + "/best/model.safetensors"))
        let (es, eout, _) = try CLI.run(["evaluate", "--model", out, "--data", Self.fixture("tiny-sentiment.csv"), "--json"])
        #expect(es == 0)
        let metrics = try Self.json(Substring(eout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Set(metrics.keys) == ["accuracy", "macro_f1", "weighted_f1", "labels"])
        #expect((metrics["accuracy"] as? Double ?? 0) > 0.9)
        let (ps, pout, _) = try CLI.run(["predict", "--model", out], stdin: "the movie was very good\nthe plot was awful\n")
        #expect(ps == 0)
        let lines = pout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try Self.json(lines[0]), second = try Self.json(lines[1])
        #expect(first["label"] as? String == "pos")
        #expect(second["label"] as? String == "neg")
        #expect((first["scores"] as? [String: Double])?.count == 2)
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
        let (ps, pout, _) = try CLI.run(["predict", "--model", out, "--format", "jsonl"],
                                        stdin: #"{"text": "Mary   visited Paris ."}"# + "\n")
        #expect(ps == 0)
        let entities = try #require(try Self.json(Substring(pout.trimmingCharacters(in: .whitespacesAndNewlines)))["entities"] as? [[String: Any]])
        #expect(entities.count == 2)
        #expect(entities.first?["text"] as? String == "Mary" && entities.first?["start"] as? Int == 0 && entities.first?["end"] as? Int == 4)
        #expect(entities.last?["text"] as? String == "Paris" && entities.last?["label"] as? String == "LOC" && entities.last?["start"] as? Int == 15)
        let (es, eout, _) = try CLI.run(["evaluate", "--model", out, "--data", Self.fixture("tiny-ner.bio"), "--json"])
        #expect(es == 0)
        #expect(Set(try Self.json(Substring(eout.trimmingCharacters(in: .whitespacesAndNewlines))).keys) == ["precision", "recall", "f1", "labels"])
    }

    @Test func loraAdaptersSavedOrMerged() throws {
        let common = ["train", "classify", "--model", Self.model, "--train", Self.fixture("tiny-sentiment.csv"),
                      "--epochs", "3", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16", "--lora-rank", "4"]
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
        let (s2, _, e2) = try CLI.run(["train", "classify", "--model", Self.model, "--train", Self.fixture("tiny-sentiment.csv"),
                                       "--dev", dir + "/dev.csv", "--out", dir + "/o2"])
        #expect(s2 != 0)
        #expect(e2.contains("dev.csv") && e2.contains("happy"), "\(e2)")
        let (s3, _, e3) = try CLI.run(["train", "classify", "--model", dir, "--train", Self.fixture("tiny-sentiment.csv"), "--out", dir + "/o3"])
        #expect(s3 != 0)
        #expect(e3.contains("config.json"), "\(e3)")
        let (s4, _, e4) = try CLI.run(["predict", "--model", Self.model], stdin: "x\n")
        #expect(s4 != 0)
        #expect(e4.contains("fine-tuned"), "\(e4)")
    }
}
