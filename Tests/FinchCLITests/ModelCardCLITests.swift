import Foundation
import Testing

/// Every training command writes the model card; audits join it.
@Suite struct ModelCardCLITests {
    static let sections = [
        "Model details", "Intended use", "Factors", "Metrics", "Evaluation data", "Training data", "Quantitative analyses",
        "Ethical considerations", "Caveats and recommendations",
    ]

    /// The card of `folder`: every section in order, a YAML header whose lines
    /// are keys or list items, and the `model-index` metrics (name → value).
    static func card(_ folder: String) throws -> (text: String, yaml: String, index: [String: Double]) {
        let text = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        #expect(headings == sections)
        let parts = text.components(separatedBy: "---\n")
        try #require(parts.count >= 3 && parts[0].isEmpty)
        let yaml = parts[1]
        #expect(yaml.hasPrefix("library_name: finch\n"))
        for line in yaml.split(separator: "\n") {
            #expect(!line.contains("\t") && (line.contains(": ") || line.hasSuffix(":") || line.hasPrefix("- ")), "\(line)")
        }
        var index: [String: Double] = [:]
        let lines = yaml.split(separator: "\n").map(String.init)
        for (n, line) in lines.enumerated() where line.hasPrefix("    - type: ") && n + 1 < lines.count {
            index[String(line.dropFirst(12))] = Double(lines[n + 1].replacingOccurrences(of: "      value: ", with: ""))
        }
        #expect(text.contains("<!-- person: developed_by -->[to be written:"))
        return (text, yaml, index)
    }

    static func record(_ folder: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/finch_run.json"))) as? [String: Any])
    }

    static func isSHA256(_ value: Any?) -> Bool {
        guard let s = value as? String else { return false }
        return s.count == 64 && s.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    @Test func fineTunedClassifierWritesItsCard() throws {
        let out = TrainCLITests.temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, _, err) = try CLI.run([
            "train", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"), "--out", out,
            "--epochs", "1", "--batch-size", "8", "--max-length", "16",
        ])
        try #require(status == 0, "\(err)")
        #expect(err.contains("model card written to \(out)/README.md"))
        let (text, yaml, index) = try Self.card(out)
        #expect(yaml.contains("pipeline_tag: text-classification\n"))
        #expect(yaml.contains("datasets:\n- tiny-sentiment.csv\n"))
        // The model-index holds the evaluation in metrics.jsonl.
        let evals = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["kind"] as? String == "eval" }
        let accuracy = try #require(evals.last?["accuracy"] as? Double)
        #expect(abs((index["accuracy"] ?? -1) - accuracy) < 5e-5)
        let run = try Self.record(out)
        let files = try #require(run["data_files"] as? [[String: Any]])
        #expect(files.count == 1 && files[0]["rows"] as? Int == 48 && Self.isSHA256(files[0]["sha256"]))
        let labels = try #require(run["label_distribution"] as? [String: Int])
        #expect(labels.values.reduce(0, +) == 48)
        #expect(run["base_model"] as? String == TrainCLITests.model)
        #expect((run["command"] as? String ?? "").hasPrefix("finch train classify --model "))
        #expect(text.contains("- Base model: `\(TrainCLITests.model)`"))
        #expect(text.contains("| train | `\(TrainCLITests.fixture("tiny-sentiment.csv"))` | 48 | `"))
        #expect(text.contains("the curves are in `training_curves.svg`"))
    }

    @Test func taggerWritesItsCard() throws {
        let out = TrainCLITests.temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, _, err) = try CLI.run([
            "train", "ner", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-ner.bio"), "--out", out,
            "--epochs", "1", "--batch-size", "8", "--max-length", "24",
        ])
        try #require(status == 0, "\(err)")
        let (text, yaml, index) = try Self.card(out)
        #expect(yaml.contains("pipeline_tag: token-classification\n"))
        #expect(index["f1"] != nil && index["precision"] != nil && index["recall"] != nil)
        let run = try Self.record(out)
        let entities = try #require(run["label_distribution"] as? [String: Int])
        #expect(Set(entities.keys).isSubset(of: ["PER", "LOC", "ORG", "MISC"]) && !entities.isEmpty)
        #expect(text.contains("| entity type | count | share |"))
    }

    /// A classical classifier's card; its audit by banded age joins it, and a person's field survives `finch card`.
    @Test func classicalClassifierCardAuditAndPersonFields() throws {
        let dir = TrainCLITests.temp()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = try String(contentsOfFile: TrainCLITests.fixture("tiny-sentiment.csv"), encoding: .utf8).split(separator: "\n")
        var csv = "text,label,age\n"
        for (n, line) in lines.dropFirst().enumerated() { csv += "\(line),\([22, 37, 51, 68][n % 4])\n" }
        let data = dir + "/reviews.csv"
        try csv.write(toFile: data, atomically: true, encoding: .utf8)
        let out = dir + "/model"
        let (status, stdout, err) = try CLI.run(["train", "classify", "--head", "logistic", "--train", data, "--out", out])
        try #require(status == 0, "\(err)")
        let accuracyLine = try #require(stdout.split(separator: "\n").last { $0.hasPrefix("accuracy ") })
        let accuracy = try #require(Double(accuracyLine.split(separator: " ")[1].replacingOccurrences(of: ";", with: "")))
        let (text, _, index) = try Self.card(out)
        #expect(abs((index["accuracy"] ?? -1) - accuracy) < 5e-5)
        #expect(text.contains("logistic regression head"))
        #expect(text.contains("- Settings: C = 1.0, features = tfidf"))

        // The audit goes into the folder and the card.
        let (as_, report, aerr) = try CLI.run([
            "audit", "classify", "--model", out, "--data", data, "--group-column", "age", "--bands", "30,45,60",
        ])
        #expect(as_ == 0, "\(aerr)")
        #expect(report.contains("<30") && report.contains("60+"))
        let audit = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/fairness_audit.json"))) as? [String: Any])
        let groups = try #require(audit["groups"] as? [[String: Any]])
        #expect(groups.map { $0["group"] as? String } == ["30-44", "45-59", "60+", "<30"])
        #expect(groups.map { $0["count"] as? Int } == [12, 12, 12, 12])
        var (card, _, _) = try Self.card(out)
        #expect(card.contains("By `age` (positive label `pos`; `finch audit classify`):"))
        #expect(card.contains("| 45-59 | 12 | "))

        // A person fills a field; `finch card` writes the card again and keeps it.
        card = card.replacingOccurrences(
            of: "<!-- person: ethical_considerations -->[to be written: sensitive data used, risks and harms, mitigations]",
            with: "<!-- person: ethical_considerations -->Reviews only; no personal data.")
        try card.write(toFile: out + "/README.md", atomically: true, encoding: .utf8)
        let (cs, cout, cerr) = try CLI.run(["card", "--model", out])
        #expect(cs == 0, "\(cerr)")
        #expect(cout.contains("kept the fields a person wrote: ethical_considerations"))
        let again = try Self.card(out).text
        #expect(again.contains("<!-- person: ethical_considerations -->Reviews only; no personal data.<!-- /person -->"))
        #expect(again.contains("| 45-59 | 12 | "))

        let (bs, _, berr) = try CLI.run(["audit", "classify", "--model", out, "--data", data, "--group-column", "text", "--bands", "30"])
        #expect(bs == 1 && berr.contains("not a number to put in a band"), "\(berr)")
    }

    /// The hand-counted fixture of `RecommenderAuditTests`, through the CLI: train, card, audit by banded age, card again.
    @Test func recommenderCardAndAudit() throws {
        let dir = TrainCLITests.temp()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let train = "userId,itemId\nu1,A\nu1,D\nu2,A\nu2,B\nu2,C\nu3,A\nu3,B\nu4,A\nu4,B\nu4,C\n"
        try train.write(toFile: dir + "/train.csv", atomically: true, encoding: .utf8)
        try "userId,itemId\nu1,C\nu2,D\nu3,E\nu4,D\nu4,F\nu9,A\n".write(toFile: dir + "/test.csv", atomically: true, encoding: .utf8)
        try "userId,age,gender\nu1,24,F\nu2,29,M\nu3,19,F\nu4,52,M\n".write(toFile: dir + "/users.csv", atomically: true, encoding: .utf8)
        let out = dir + "/model"
        let (status, stdout, err) = try RecommendCLI.run(["train", "--ratings", dir + "/train.csv", "--algorithm", "popular", "--out", out])
        try #require(status == 0, "\(err)")
        #expect(stdout.hasPrefix("{"))  // the JSON summary stays alone on standard output
        var (text, yaml, index) = try Self.card(out)
        #expect(!yaml.contains("pipeline_tag") && yaml.contains("- recommender\n- popular\n") && index.isEmpty)
        #expect(text.contains("- Users: 4, items: 4, training interactions: 10 (implicit feedback)"))
        #expect(text.contains("| ratings | `\(dir)/train.csv` | 10 | `"))

        let (as_, report, aerr) = try RecommendCLI.run([
            "audit", "--model", out, "--ratings", dir + "/test.csv", "--users", dir + "/users.csv", "--group-column", "age",
            "--bands", "30", "--k", "2", "--json",
        ])
        #expect(as_ == 0, "\(aerr)")
        let audit = try RecommendCLI.json(Substring(report))
        let overall = try #require(audit["overall"] as? [String: Any])
        #expect(overall["coverage"] as? Double == 0.75 && overall["long_tail_share"] as? Double == 0.5)
        #expect(abs((overall["gini"] as? Double ?? -1) - 10.0 / 24.0) < 1e-12)
        let groups = try #require(audit["groups"] as? [[String: Any]])
        #expect(groups.map { $0["group"] as? String } == ["30+", "<30"])
        #expect(groups.map { $0["users"] as? Int } == [1, 3])
        #expect(audit["unknown_users"] as? Int == 1)
        (text, yaml, index) = try Self.card(out)
        let ndcg = try #require(overall["ndcg"] as? Double)
        #expect(abs((index["ndcg_at_2"] ?? -1) - ndcg) < 5e-5 && index["recall_at_2"] == 0.625)
        #expect(text.contains("| age | users | coverage | gini | avg popularity | long-tail share | NDCG@2 | recall@2 |"))
        #expect(text.contains("| 30+ | 1 | 0.2500 | 0.7500 | 1.0000 | 1.0000 | "))
        #expect(text.contains("An audit by `age` is reported below."))

        let (ms, _, merr) = try RecommendCLI.run(["audit", "--model", out, "--ratings", dir + "/test.csv", "--users", dir + "/users.csv"])
        #expect(ms != 0 && merr.contains("--users and --group-column go together"), "\(merr)")
    }

    @Test func hybridRecommenderWritesItsCard() throws {
        let (ratings, items, _) = try RecommendHybridCLITests.files()
        let out = RecommendCLI.temporary("hybrid-card")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, _, err) = try RecommendCLI.run([
            "train", "--ratings", ratings, "--rating-column", "rating", "--implicit", "--timestamp-column", "timestamp",
            "--algorithm", "als", "--factors", "4", "--hybrid", "--item-text", items, "--embedder", RecommendHybridCLITests.embedder,
            "--out", out, "--test-last", "2", "--validation-last", "2",
        ])
        try #require(status == 0, "\(err)")
        let (text, yaml, index) = try Self.card(out)
        #expect(yaml.contains("- hybrid\n"))
        #expect(index["ndcg_at_10"] != nil && index["recall_at_10"] != nil)
        #expect(text.contains("| item-text | `\(items)` | 40 | `"))
        #expect(text.contains("with a hybrid ranking"))
    }

    /// `finch card` on the int8 copy `finch quantize` writes records its figures (`quantization.json`).
    @Test func int8CopyCardRecordsQuantization() throws {
        let model = try tinyEmbedderFolder()
        let out = model.deletingLastPathComponent().appendingPathComponent("finch-int8-card-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let (qs, _, qerr) = try CLI.run(["quantize", "--model", model.path, "--out", out.path, "--force"])
        try #require(qs == 0, "\(qerr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("quantization.json"))) as? [String: Any])
        let (cs, _, cerr) = try CLI.run(["card", "--model", out.path])
        #expect(cs == 0, "\(cerr)")
        let (text, yaml, _) = try Self.card(out.path)
        #expect(yaml.contains("pipeline_tag: sentence-similarity\n") && yaml.contains("- int8\n"))
        #expect(text.contains("- Int8 copy of: `\(model.path)`"))
        let cosine = String(format: "%.4f", try #require(report["mean_cosine"] as? Double))
        let speedup = String(format: "%.4f", try #require(report["speedup"] as? Double))
        #expect(text.contains("| \(speedup) | \(cosine) | "))
        #expect(
            text.contains("did not pass the checks of `finch quantize` and was written with --force")
                == !(report["checks_passed"] as? Bool ?? false))
    }
}
