import Foundation
import Testing

/// `finch train classify --head`, then `evaluate` and `predict` on the classical model.
@Suite struct ClassicalCLITests {
    static var train: String { TrainCLITests.fixture("tiny-sentiment.csv") }
    static var test: String { TrainCLITests.fixture("tiny-sentiment-test.csv") }

    static func json(_ text: String) throws -> [String: Any] {
        try TrainCLITests.json(Substring(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Trains, checks the report's layout, then that evaluate's accuracy is what predict's labels give on the same file.
    static func trainEvaluatePredict(_ extra: [String], fitsTrainingSentences: Bool = true) throws -> (out: String, stderr: String) {
        let out = TrainCLITests.temp()
        let (status, stdout, stderr) = try CLI.run(["train", "classify", "--train", train, "--out", out] + extra)
        #expect(status == 0, "\(stderr)")
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == 15, "\(stdout)")
        #expect(lines[0] == "dev: 5 examples (10 % of \(train), seed 42) held out from training; no development file given (--dev)")
        #expect(lines[1...3] == ["", "evaluation on the development data:", ""])
        #expect(lines[4] == "              precision    recall  f1-score   support")
        #expect(lines[9].hasPrefix("    accuracy") && lines[9].hasSuffix(" 5"))
        let devAccuracy = try #require(Double(lines[13].split(separator: " ")[1].dropLast()))
        #expect(lines[13] == String(format: "accuracy %.4f; model written to %@", devAccuracy, out))
        #expect(FileManager.default.fileExists(atPath: out + "/finch_classical.json"))
        let records = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        try #require(records.count == 1)
        let record = try TrainCLITests.json(records[0])
        #expect(record["kind"] as? String == "eval")

        let (es, eout, eerr) = try CLI.run(["evaluate", "--model", out, "--data", test, "--json"])
        #expect(es == 0, "\(eerr)")
        let metrics = try json(eout)
        #expect(Set(metrics.keys) == ["accuracy", "macro_f1", "weighted_f1", "labels"])
        let rows = try String(contentsOfFile: test, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let (ps, pout, perr) = try CLI.run(["predict", "--model", out], stdin: rows.map { String($0[0]) }.joined(separator: "\n") + "\n")
        #expect(ps == 0, "\(perr)")
        let predictions = try pout.split(separator: "\n").map { try TrainCLITests.json($0) }
        try #require(predictions.count == rows.count)
        let correct = zip(predictions, rows).filter { $0.0["label"] as? String == String($0.1[1]) }.count
        #expect(metrics["accuracy"] as? Double == Double(correct) / Double(rows.count))
        for p in predictions {
            let scores = try #require(p["scores"] as? [String: Double])
            #expect(Set(scores.keys) == ["neg", "pos"] && Swift.abs(scores.values.reduce(0, +) - 1) < 1e-9)
            #expect(p["score"] as? Double == scores[p["label"] as! String] && scores.values.max() == p["score"] as? Double)
        }
        if fitsTrainingSentences {  // TF-IDF: sentences of the training file are classified as labelled there
            let (_, known, _) = try CLI.run(["predict", "--model", out], stdin: "the movie was very good\nthe story was very boring\n")
            #expect(try known.split(separator: "\n").map { try TrainCLITests.json($0)["label"] as? String } == ["pos", "neg"])
        }
        return (out, stderr)
    }

    @Test func logisticOnTfidf() throws {
        let (_, stderr) = try Self.trainEvaluatePredict(["--head", "logistic"])
        #expect(stderr.contains("features: tfidf, ") && stderr.contains("fit: logistic on 43 examples"), "\(stderr)")
    }

    @Test func svmOnCharacterNGrams() throws {
        let (out, _) = try Self.trainEvaluatePredict(["--head", "svm", "--analyzer", "char_wb", "--ngram-range", "2,4", "--c", "0.5"])
        let saved = try String(contentsOfFile: out + "/finch_classical.json", encoding: .utf8)
        #expect(saved.contains("\"analyzer\":\"char_wb\"") && saved.contains("\"ngramMax\":4"))
    }

    @Test func knnOnTfidf() throws {
        _ = try Self.trainEvaluatePredict(["--head", "knn", "--neighbors", "3", "--knn-weights", "distance"])
    }

    @Test func logisticOnEmbeddings() throws {
        let (out, stderr) = try Self.trainEvaluatePredict(
            [
                "--head", "logistic", "--features", "embeddings", "--embedder", TrainCLITests.model, "--max-length", "16",
            ], fitsTrainingSentences: false)
        #expect(stderr.contains("features: embeddings, 32 per example"), "\(stderr)")
        // The embedder travels with the classifier.
        #expect(FileManager.default.fileExists(atPath: out + "/embedder/model.safetensors"))
    }

    /// Wrong combinations are refused before anything is read or written (exit 64).
    @Test(arguments: [
        (["--head", "logistic", "--model", "m"], "--model is for fine-tuning"),
        (["--neighbors", "3"], "--neighbors needs --head"),
        (["--head", "knn", "--c", "2"], "--c is for --head logistic or svm"),
        (["--head", "svm", "--neighbors", "2"], "--neighbors is for --head knn"),
        (["--head", "logistic", "--features", "embeddings"], "--features embeddings needs --embedder"),
        (["--head", "logistic", "--embedder", "m"], "--embedder is for --features embeddings"),
        (["--head", "logistic", "--c", "0"], "--c must be a positive number"),
        (["--head", "logistic", "--ngram-range", "2,1"], "--ngram-range needs 1 ≤ min ≤ max"),
        (["--head", "logistic", "--min-df", "1.5"], "--min-df"),
        (["--head", "logistic", "--text-pair-column", "b"], "--text-pair-column is for fine-tuning"),
        (["--head", "logistic", "--multi-label"], "--multi-label is for fine-tuning"),
        ([], "Missing expected argument '--model <model>'"),
    ])
    func optionErrorsComeFirst(_ extra: [String], _ message: String) throws {
        let out = TrainCLITests.temp()
        let (status, _, stderr) = try CLI.run(["train", "classify", "--train", "missing.csv", "--out", out] + extra)
        #expect(status == 64, "\(stderr)")
        #expect(stderr.contains(message), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A setting that only the data can refute fails the run with its flag named (exit 1).
    @Test func pruningEveryTermNamesTheFlag() throws {
        let out = TrainCLITests.temp()
        let (status, _, stderr) = try CLI.run([
            "train", "classify", "--train", Self.train, "--out", out, "--head", "svm", "--min-df", "100",
        ])
        #expect(status == 1)
        #expect(stderr.contains("--max-df corresponds to fewer documents (43) than min_df (100)"), "\(stderr)")
    }

    @Test func aDamagedModelFileIsNamed() throws {
        let (out, _) = try Self.trainEvaluatePredict(["--head", "logistic"])
        try Data("{\"format\": \"finch-classical-classifier\"}".utf8).write(to: URL(fileURLWithPath: out + "/finch_classical.json"))
        let (status, _, stderr) = try CLI.run(["predict", "--model", out], stdin: "good\n")
        #expect(status == 1)
        #expect(stderr.contains(out + "/finch_classical.json: missing"), "\(stderr)")
    }
}
