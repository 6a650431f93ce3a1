import FinchSupport
import Foundation
import Testing

@testable import FinchTrain

/// What a training run adds to the card, and how a card written again keeps
/// what a person wrote.
@Suite struct ModelCardRunTests {
    static func run(in dir: URL) throws -> TrainingRunRecord {
        let data = dir.deletingLastPathComponent().appendingPathComponent("train.csv")
        try Data("abc".utf8).write(to: data)
        return TrainingRunRecord(
            task: "text-classification", command: "finch train classify --model hf:org/base --train train.csv",
            settings: ["epochs": "3", "seed": "42"], baseModel: "hf:org/base@main",
            dataFiles: [try DataFileRecord.measure(role: "train", path: data.path, rows: 7)], labelDistribution: ["neg": 3, "pos": 4],
            evaluationData: "the development file `dev.csv`", metrics: ["accuracy": 0.75, "loss": 0.5], curvesFile: "training_curves.svg",
            hardware: "Test CPU · 2 cores", seconds: 125, finchVersion: "9.9.9", finishedAt: Date(timeIntervalSince1970: 0))
    }

    @Test func theRunFillsDetailsDataAndHeader() throws {
        let dir = try ModelCardTests.folder()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let run = try Self.run(in: dir)
        // SHA-256 of "abc" (FIPS 180-2 test vector).
        #expect(run.dataFiles[0].sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let outcome = try ModelCard.write(to: dir, run: run, finchVersion: "0.0.0")
        let card = try String(contentsOf: outcome.url, encoding: .utf8)
        // Saved beside the model, so `finch card` can write the same card later.
        #expect(try TrainingRunRecord.readIfPresent(in: dir) == run)
        let headings = card.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        #expect(headings == ModelCard.sections)
        let yaml = card.components(separatedBy: "---\n")[1]
        #expect(yaml.contains("base_model: org/base\n"))
        #expect(yaml.contains("datasets:\n- train.csv\n"))
        #expect(yaml.contains("    - type: accuracy\n      value: 0.8000\n"))  // the best evaluation of metrics.jsonl
        #expect(card.contains("A text classifier fine-tuned with Finch 9.9.9."))
        #expect(card.contains("- Base model: `hf:org/base@main`"))
        #expect(card.contains("- Trained with Finch 9.9.9, finished 1970-01-01T00:00:00Z, in 2 min 5 s on Test CPU · 2 cores"))
        #expect(card.contains("- Command: `finch train classify --model hf:org/base --train train.csv`"))
        #expect(card.contains("- Settings: epochs = 3, seed = 42"))
        #expect(card.contains("| train | `\(run.dataFiles[0].path)` | 7 | `ba7816bf"))
        #expect(card.contains("| neg | 3 | 0.4286 |\n| pos | 4 | 0.5714 |"))
        #expect(card.contains("Evaluated on the development file `dev.csv`."))
        #expect(card.contains("| accuracy | loss |\n|---|---:|\n| 0.7500 | 0.5000 |"))
        #expect(card.contains("the curves are in `training_curves.svg`"))
        #expect(!card.contains("the pretrained checkpoint fine-tuned"))
        #expect(outcome.keptFields.isEmpty && outcome.previousCard == nil)
    }

    @Test func aPersonsFieldsSurviveAndOtherReadmesAreMovedAside() throws {
        let dir = try ModelCardTests.folder()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let first = try ModelCard.write(to: dir, finchVersion: "9.9.9")
        var text = try String(contentsOf: first.url, encoding: .utf8)
        let placeholder = ModelCardPersonFields.field("primary_uses", "what the model is for, and for whom")
        try #require(text.contains(placeholder))
        text = text.replacingOccurrences(
            of: placeholder, with: ModelCardPersonFields.open("primary_uses") + "Routing support tickets." + ModelCardPersonFields.close)
        try Data(text.utf8).write(to: first.url)
        // A new run changes the facts; the person's field stays, the others keep their markers.
        let second = try ModelCard.write(to: dir, run: try Self.run(in: dir), finchVersion: "9.9.9")
        let card = try String(contentsOf: second.url, encoding: .utf8)
        #expect(second.keptFields == ["primary_uses"])
        #expect(card.contains("- Primary uses: <!-- person: primary_uses -->Routing support tickets.<!-- /person -->"))
        #expect(card.contains(ModelCardPersonFields.field("caveats", "known limits, and what users should check before relying on it")))
        #expect(card.contains("- Command: `finch train classify"))
        // A README.md that Finch did not write is kept as README.previous.md.
        try Data("# My model\n\nHand-written.\n".utf8).write(to: second.url)
        let third = try ModelCard.write(to: dir, finchVersion: "9.9.9")
        #expect(third.previousCard?.lastPathComponent == "README.previous.md")
        #expect(try String(contentsOf: third.previousCard!, encoding: .utf8) == "# My model\n\nHand-written.\n")
        #expect(try String(contentsOf: third.url, encoding: .utf8).hasPrefix("---\nlibrary_name: finch\n"))
    }

    @Test func auditAndQuantizationFilesInTheFolderJoinTheCard() throws {
        let dir = try ModelCardTests.folder()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let audit = FairnessAudit(
            labels: ["pos", "neg", "pos"], predictions: ["pos", "pos", "neg"], groups: ["<30", "<30", "60+"], positiveLabel: "pos",
            sensitiveFeature: "age")
        try Data(try audit.json().utf8).write(to: dir.appendingPathComponent(FairnessAudit.fileName))
        try Data(
            #"{"scheme": "int8-per-channel", "texts": 8, "float_seconds": 0.2, "int8_seconds": 0.1, "speedup": 2.0, "mean_cosine": 0.995, "min_cosine": 0.99, "kernel": "avx2", "checks_passed": true, "forced": false, "source": "/m"}"#
                .utf8
        ).write(to: dir.appendingPathComponent(QuantizationFacts.fileName))
        let card = try String(contentsOf: try ModelCard.write(to: dir, finchVersion: "9.9.9").url, encoding: .utf8)
        let analyses = try #require(card.components(separatedBy: "## Quantitative analyses\n").last?.components(separatedBy: "## ").first)
        #expect(analyses.contains("By `age` (positive label `pos`; `finch audit classify`):"))
        #expect(analyses.contains("| 60+ | 1 | 0.0000 | 0.0000 | 0.0000 | 0.0000 | 0.0000 | 1.0000 |"))
        #expect(analyses.contains("Int8 copy (`quantization.json`, scheme `int8-per-channel`, kernel `avx2`), measured on 8 texts:"))
        #expect(analyses.contains("| 0.2000 | 0.1000 | 2.0000 | 0.9950 | 0.9900 |"))
        #expect(card.contains("An audit by `age` is reported below."))
    }

    /// Regression: metrics.jsonl was read with JSONSerialization, which on Linux gives 0 and 1 as booleans,
    /// so a perfect accuracy (`"accuracy":1`) vanished from the card and its model-index.
    @Test func wholeNumberMetricsAreKept() throws {
        let dir = try ModelCardTests.folder()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try Data(#"{"accuracy":1,"epoch":1,"kind":"eval","macro_f1":0,"step":1,"weighted_f1":1}"#.utf8).write(
            to: dir.appendingPathComponent("metrics.jsonl"))
        let facts = try ModelFacts.read(from: dir)
        #expect(facts.bestEvaluation == ["accuracy": 1, "epoch": 1, "macro_f1": 0, "step": 1, "weighted_f1": 1])
        #expect(ModelCard.markdown(for: facts, finchVersion: "9.9.9").contains("    - type: accuracy\n      value: 1.0000\n"))
        try Data("[1, 2]\n".utf8).write(to: dir.appendingPathComponent("metrics.jsonl"))
        #expect(
            throws: TaskError.invalidModelFile(
                file: dir.appendingPathComponent("metrics.jsonl").path, reason: "line 1 is not a JSON object")
        ) { try ModelFacts.read(from: dir) }
    }

    @Test func classicalFolderFacts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("card-\(UUID().uuidString)/classical")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let y = [0, 1, 0, 1]
        let (vectorizer, x) = try TfidfVectorizer.fitTransform(["good film", "bad film", "good plot", "bad plot"])
        let fit = try LogisticRegression().fit(.sparse(x), labels: y, classCount: 2)
        let stored = ClassicalClassifier.Stored(
            format: ClassicalClassifier.formatMarker, version: 1, labels: ["pos", "neg"], textColumn: "review", labelColumn: "label",
            features: .tfidf(vectorizer), head: .logistic(fit.model))
        try ClassicalClassifier(stored: stored, embedder: nil).save(to: dir)
        let facts = try ModelFacts.read(from: dir)
        #expect(facts.classical == "TF-IDF features (\(vectorizer.featureCount) terms), logistic regression head")
        #expect(facts.labels == ["pos", "neg"] && facts.task.textColumn == "review")
        let card = ModelCard.markdown(for: facts, finchVersion: "9.9.9")
        #expect(card.contains("A text classifier trained with Finch 9.9.9 (TF-IDF features"))
        #expect(!card.contains("Base model"))
    }
}
