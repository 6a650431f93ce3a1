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
        // The card says what the student is: distilled, from which teacher (it said "fine-tuned" before).
        let card = try String(contentsOfFile: student + "/README.md", encoding: .utf8)
        #expect(card.contains("distilled with Finch") && !card.contains("fine-tuned with Finch"), "\(card.prefix(600))")
        #expect(card.contains("- Teacher (distilled from): `\(teacher)`"))
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

    /// The tiny word-piece encoder as a sentence-transformers folder: mean pooling, normalized.
    static func embedderFolder() throws -> String {
        let folder = TrainCLITests.temp()
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder + "/1_Pooling", withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"] {
            try fm.copyItem(atPath: TrainCLITests.model + "/" + file, toPath: folder + "/" + file)
        }
        let modules = """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
            """
        try Data(modules.utf8).write(to: URL(fileURLWithPath: folder + "/modules.json"))
        try Data(#"{"word_embedding_dimension": 32, "pooling_mode_mean_tokens": true}"#.utf8)
            .write(to: URL(fileURLWithPath: folder + "/1_Pooling/config.json"))
        return folder
    }

    @Test func distilEmbedderOnPlainTextThenEmbedWithTheStudent() async throws {
        let teacher = try Self.embedderFolder(), student = TrainCLITests.temp()
        let texts = try String(contentsOfFile: TrainCLITests.fixture("tiny-sentiment.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        let train = TrainCLITests.temp() + ".txt"
        try Data((texts.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: train))
        let (status, stdout, stderr) = try await CLI.runAsync([
            "distill", "--teacher", teacher, "--train", train, "--out", student, "--epochs", "3", "--batch-size", "8", "--lr", "1e-3",
        ])
        #expect(status == 0, "\(stderr)")
        #expect(stderr.hasPrefix("training on 43 examples, 3 epochs, 18 steps\n"), "\(stderr)")
        #expect(stdout.contains("student vs teacher sentence vectors on 5 texts: mean squared error "), "\(stdout)")
        #expect(stdout.contains("best loss "), "\(stdout)")
        let config = try Self.json(try String(contentsOfFile: student + "/config.json", encoding: .utf8))
        #expect(config["num_hidden_layers"] as? Int == 1)
        for file in ["modules.json", "1_Pooling/config.json", "vocab.txt", "metrics.jsonl", "training_curves.svg", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: student + "/" + file), "\(file) missing")
        }
        let run = try Self.json(try String(contentsOfFile: student + "/finch_run.json", encoding: .utf8))
        #expect(run["task"] as? String == "feature-extraction" && run["base_model"] as? String == teacher)
        let evals = try String(contentsOfFile: student + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try Self.json(String($0)) }.filter { $0["kind"] as? String == "eval" }
        #expect(evals.count == 3 && evals.allSatisfy { $0["cosine"] is Double && $0["loss"] is Double })
        // finch embed takes the student as it takes the teacher: unit vectors of the teacher's width.
        let (es, eout, eerr) = try await CLI.runAsync(["embed", "--model", student], stdin: "the film was very great\n")
        #expect(es == 0, "\(eerr)")
        let vector = try #require(try Self.json(eout)["embedding"] as? [Double])
        #expect(vector.count == 32 && Swift.abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        // An embedder's student is chosen by loss only.
        let (ms, _, merr) = try await CLI.runAsync([
            "distill", "--teacher", teacher, "--train", train, "--out", TrainCLITests.temp(), "--metric", "accuracy",
        ])
        #expect(ms == 64 && merr.contains("--metric accuracy is not reported by an embedder's distillation"), "\(merr)")
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
