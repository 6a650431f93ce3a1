import FinchNN
import Foundation
import Testing

/// `finch distill` end to end: a teacher trained by `finch train classify`,
/// distilled into a 1-layer student that `evaluate` and `predict` take as it is.
@Suite struct DistillCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(
            JSONSerialization.jsonObject(with: Data(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)) as? [String: Any])
    }

    @Test func distilTrainedClassifierThenEvaluateTheStudent() async throws {
        let teacher = TrainCLITests.temp(), student = TrainCLITests.temp()
        let train = TrainCLITests.fixture("tiny-sentiment.csv"), test = TrainCLITests.fixture("tiny-sentiment-test.csv")
        let (ts, _, terr) = try await CLI.runAsync([
            "train", "classify", "--model", TrainCLITests.model, "--train", train, "--out", teacher,
            "--epochs", "10", "--batch-size", "8", "--lr", "1e-2", "--max-length", "16",
        ])
        try #require(ts == 0, "\(terr)")
        let (status, stdout, stderr) = try await CLI.runAsync([
            "distill", "--teacher", teacher, "--train", train, "--out", student,
            "--epochs", "10", "--batch-size", "8", "--lr", "1e-2", "--temperature", "2", "--alpha", "0.5",
        ])
        #expect(status == 0, "\(stderr)")
        #expect(stderr.hasPrefix("training on 43 examples, 10 epochs, 60 steps\n"), "\(stderr)")
        #expect(
            stdout.contains(
                "note: student of 1 of the teacher's 2 layers, starting from teacher layer 0; embeddings, pooler and head copied from the teacher"
            ), "\(stdout)")
        #expect(stdout.contains("best accuracy "), "\(stdout)")
        // A plain one-layer classifier folder, with the teacher's tokenizer and length.
        let config = try Self.json(try String(contentsOfFile: student + "/config.json", encoding: .utf8))
        #expect(config["num_hidden_layers"] as? Int == 1)
        #expect((config["id2label"] as? [String: String]).map { Set($0.values) } == ["neg", "pos"])
        let weights = try SafetensorsFile(contentsOf: URL(fileURLWithPath: student + "/model.safetensors"))
        #expect(weights.names.contains("bert.encoder.layer.0.attention.self.query.weight"))
        #expect(!weights.names.contains { $0.hasPrefix("bert.encoder.layer.1.") })
        let task = try Self.json(try String(contentsOfFile: student + "/finch_task.json", encoding: .utf8))
        #expect(task["maxLength"] as? Int == 16, "\(task)")
        for file in ["vocab.txt", "metrics.jsonl", "training_curves.svg", "README.md", "finch_run.json"] {
            #expect(FileManager.default.fileExists(atPath: student + "/" + file), "\(file) missing")
        }
        // The run record names the teacher and the distillation settings; evaluations compare with the teacher.
        let run = try Self.json(try String(contentsOfFile: student + "/finch_run.json", encoding: .utf8))
        #expect(run["base_model"] as? String == teacher)
        let settings = try #require(run["settings"] as? [String: String])
        #expect(settings["distillation_layers"] == "1" && settings["distillation_kept_layers"] == "0")
        #expect(settings["distillation_temperature"] == "2.0" && settings["distillation_alpha"] == "0.5")
        let evals = try String(contentsOfFile: student + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try Self.json(String($0)) }.filter { $0["kind"] as? String == "eval" }
        #expect(evals.count == 10)
        #expect(evals.allSatisfy { ($0["teacher_agreement"] as? Double).map { $0 >= 0 && $0 <= 1 } ?? false })
        // evaluate and predict take the student unchanged.
        let (es, eout, eerr) = try await CLI.runAsync(["evaluate", "--model", student, "--data", test, "--json"])
        #expect(es == 0, "\(eerr)")
        let metrics = try Self.json(eout)
        #expect(Set(metrics.keys) == ["accuracy", "macro_f1", "weighted_f1", "labels"])
        // The 1-layer student scores 0.8 here (its teacher 1.0); the margin allows for other CPUs' rounding.
        #expect((metrics["accuracy"] as? Double ?? 0) >= 0.7, "\(metrics)")
        let (ps, pout, _) = try await CLI.runAsync(["predict", "--model", student], stdin: "the actor was very good\n")
        #expect(ps == 0)
        #expect(try Self.json(pout)["label"] as? String == "pos")
    }

    @Test func rejectsBadSettingsBeforeTraining() async throws {
        let train = TrainCLITests.fixture("tiny-sentiment.csv")
        let (a, _, aerr) = try await CLI.runAsync([
            "distill", "--teacher", TrainCLITests.model, "--train", train, "--out", TrainCLITests.temp(), "--alpha", "1.5",
        ])
        #expect(a == 64 && aerr.contains("--alpha must be in [0, 1], got 1.5"), "\(aerr)")
        let (t, _, terr) = try await CLI.runAsync([
            "distill", "--teacher", TrainCLITests.model, "--train", train, "--out", TrainCLITests.temp(), "--temperature", "0",
        ])
        #expect(t == 64 && terr.contains("--temperature must be a positive number"), "\(terr)")
        // A base encoder is no teacher; a student deeper than its teacher is refused.
        let (b, _, berr) = try await CLI.runAsync([
            "distill", "--teacher", TrainCLITests.model, "--train", train, "--out", TrainCLITests.temp(),
        ])
        #expect(b == 1 && berr.contains("the teacher must be a fine-tuned text classifier"), "\(berr)")
        let (l, _, lerr) = try await CLI.runAsync([
            "distill", "--teacher", TrainCLITests.fixture("tiny-bert-classifier"), "--train", train, "--out", TrainCLITests.temp(),
            "--layers", "3",
        ])
        #expect(l == 1 && lerr.contains("the layer count must be between 1 and the teacher's 2"), "\(lerr)")
    }
}
