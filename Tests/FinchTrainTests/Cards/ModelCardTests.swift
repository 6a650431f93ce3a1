import FinchTestSupport
import Foundation
import Testing

@testable import FinchTrain

/// The model card: every Mitchell et al. section, a YAML header with the
/// model-index from the best evaluation, per-group results when an audit ran.
@Suite struct ModelCardTests {
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("card-\(UUID().uuidString)/sentiment")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(
            #"{"architectures": ["BertForSequenceClassification"], "model_type": "bert", "hidden_size": 32, "num_hidden_layers": 2, "vocab_size": 99, "id2label": {"0": "neg", "1": "pos"}}"#
                .utf8
        ).write(to: dir.appendingPathComponent("config.json"))
        try Data(#"{"task": "classification", "maxLength": 16, "textColumn": "review", "labelColumn": "label"}"#.utf8).write(
            to: dir.appendingPathComponent("finch_task.json"))
        try Data(
            ("{\"kind\":\"eval\",\"step\":6,\"epoch\":1,\"accuracy\":0.6,\"macro_f1\":0.5,\"weighted_f1\":0.55}\n"
                + "{\"kind\":\"eval\",\"step\":12,\"epoch\":2,\"accuracy\":0.8,\"macro_f1\":0.75,\"weighted_f1\":0.78}\n"
                + "{\"kind\":\"eval\",\"step\":18,\"epoch\":3,\"accuracy\":0.7,\"macro_f1\":0.7,\"weighted_f1\":0.7}\n").utf8
        ).write(to: dir.appendingPathComponent("metrics.jsonl"))
        return dir
    }

    @Test func everySectionAndTheModelIndexOfTheBestEvaluation() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let url = try ModelCard.write(to: dir, finchVersion: "9.9.9").url
        let card = try String(contentsOf: url, encoding: .utf8)
        let headings = card.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        #expect(headings == ModelCard.sections)
        let parts = card.components(separatedBy: "---\n")
        try #require(parts.count >= 3 && parts[0].isEmpty)
        let yaml = parts[1]
        #expect(yaml.contains("pipeline_tag: text-classification\n"))
        #expect(yaml.contains("- name: \"sentiment\"\n"))
        // The best evaluation (step 12) is the model-index's.
        #expect(yaml.contains("    - type: accuracy\n      value: 0.8000\n"))
        #expect(yaml.contains("    - type: macro_f1\n      value: 0.7500\n"))
        // Every YAML line is a key, a list item or an indented continuation; no tabs.
        for line in yaml.split(separator: "\n") {
            #expect(!line.contains("\t") && (line.contains(":") || line.trimmingCharacters(in: .whitespaces).hasPrefix("- ")), "\(line)")
        }
        #expect(card.contains("| 12 | 2 | 0.8000 | 0.7500 | 0.7800 |"))
        #expect(card.contains("Labels (2): neg, pos"))
        #expect(card.contains("text `review`"))
        #expect(card.contains(ModelCard.toBeWritten("the pretrained checkpoint fine-tuned")))
        #expect(!card.contains("By `"))
    }

    @Test func anAuditAddsItsGroups() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let audit = FairnessAudit(
            labels: ["pos", "neg", "pos"], predictions: ["pos", "pos", "neg"], groups: ["18-29", "18-29", "65+"], positiveLabel: "pos",
            sensitiveFeature: "age_band")
        let card = ModelCard.markdown(for: try ModelFacts.read(from: dir), audit: audit, finchVersion: "9.9.9")
        #expect(card.contains("By `age_band` (positive label `pos`; `finch audit classify`):"))
        #expect(card.contains("| 65+ | 1 | 0.0000 | 0.0000 | 0.0000 | 0.0000 | 0.0000 | 1.0000 |"))
        #expect(card.contains("Demographic parity difference 1.0000, ratio 0.0000; equalized odds difference 1.0000."))
    }

    @Test func aDamagedMetricsFileIsNamed() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try Data("{\"kind\":\"eval\"}\nnot json\n".utf8).write(to: dir.appendingPathComponent("metrics.jsonl"))
        #expect(
            throws: TaskError.invalidModelFile(file: dir.appendingPathComponent("metrics.jsonl").path, reason: "line 2 is not valid JSON")
        ) {
            try ModelFacts.read(from: dir)
        }
    }
}

/// The committed card `Scripts/check_model_card.py` parsed with huggingface_hub is the one the
/// generator writes today, and huggingface_hub read its header and model-index back.
@Suite struct ModelCardHubCheckTests {
    @Test func committedCardIsTodaysAndHuggingFaceHubReadsIt() throws {
        let fixture = TestSupport.fixtureURL("model-card")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("card-\(UUID().uuidString)/model-card")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        for file in ["config.json", "finch_task.json", "metrics.jsonl", "finch_run.json"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        let run = try #require(try TrainingRunRecord.readIfPresent(in: dir))
        let card = ModelCard.markdown(for: try ModelFacts.read(from: dir), run: run, finchVersion: "0.1.0")
        #expect(card == (try String(contentsOf: fixture.appendingPathComponent("README.md"), encoding: .utf8)))
        let check = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.appendingPathComponent("hf_check.json"))) as? [String: Any])
        let data = try #require(check["data"] as? [String: Any])
        #expect(data["pipeline_tag"] as? String == "text-classification")
        #expect(data["library_name"] as? String == "finch")
        // The run's base model and data files reach the header as huggingface_hub reads it.
        #expect(data["base_model"] as? String == "google/bert_uncased_L-2_H-128_A-2")
        #expect(data["datasets"] as? [String] == ["reviews.csv"])
        let results = try #require(check["eval_results"] as? [[String: Any]])
        let facts = try ModelFacts.read(from: dir)
        let best = try #require(facts.bestEvaluation)
        #expect(results.map { $0["metric_type"] as? String } == ["accuracy", "macro_f1", "weighted_f1"])
        for r in results {
            let name = r["metric_type"] as! String
            #expect(abs((r["metric_value"] as? Double ?? -1) - best[name]!) < 5e-5, "\(name)")
        }
    }
}
