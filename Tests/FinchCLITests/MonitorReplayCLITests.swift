import FinchTestSupport
import Foundation
import Testing

/// `finch monitor replay` end to end on the tiny random classifier: a
/// fixture stream with an injected negative surge and a volume spike.
@Suite struct MonitorReplayCLITests {
    static let start = Date(timeIntervalSince1970: 1_772_409_600)  // 2026-03-02T00:00:00Z

    /// The tiny classifier with the WordPiece vocabulary, in a new temporary folder.
    static func workFolder() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("finch-monitor-cli-\(UUID().uuidString)")
        let model = dir.appendingPathComponent("classifier")
        try fm.createDirectory(at: model, withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors"] {
            try fm.copyItem(
                at: TestSupport.fixtureURL("tiny-bert-seqcls").appendingPathComponent(file), to: model.appendingPathComponent(file))
        }
        for file in ["vocab.txt", "tokenizer_config.json"] {
            try fm.copyItem(
                at: TestSupport.fixtureURL("tiny-bert-wordpiece").appendingPathComponent(file), to: model.appendingPathComponent(file))
        }
        return dir
    }

    static func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }

    static func line(_ id: String, _ text: String, hour: Int, minute: Int) -> String {
        let time = ISO8601DateFormatter().string(from: start.addingTimeInterval(Double(hour * 3600 + minute * 60)))
        let json = try! JSONSerialization.data(withJSONObject: ["id": id, "text": text, "time": time], options: [.sortedKeys])
        return String(decoding: json, as: UTF8.self)
    }

    /// Texts the tiny classifier gives `label`, and texts it gives another label.
    static func split(classifier: URL) throws -> (label: String, hits: [String], others: [String]) {
        let words = ["the", "movie", "was", "very", "good", "bad", "boring", "great", "plot", "acting", "awful", "fine", "film", "not"]
        var candidates: [String] = []
        for i in 0..<60 {
            candidates.append("ACME " + (0..<(3 + i % 4)).map { words[($0 * 7 + i * 5 + i / 3) % words.count] }.joined(separator: " "))
        }
        let (status, out, err) = try CLI.run(["predict", "--model", classifier.path], stdin: candidates.joined(separator: "\n") + "\n")
        #expect(status == 0, "\(err)")
        let labels = out.split(separator: "\n").map { line in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["label"] as? String ?? ""
        }
        let counts = Dictionary(labels.map { ($0, 1) }, uniquingKeysWith: +)
        let label = counts.max { $0.value < $1.value }?.key ?? ""
        return (label, zip(candidates, labels).filter { $0.1 == label }.map(\.0), zip(candidates, labels).filter { $0.1 != label }.map(\.0))
    }

    @Test func surgeAndSpikePrintOneLineEachAndASummary() throws {
        let dir = try Self.workFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let classifier = dir.appendingPathComponent("classifier")
        let (negativeLabel, negatives, others) = try Self.split(classifier: classifier)
        try #require(!negatives.isEmpty && !others.isEmpty, "the tiny classifier gave one label to every candidate")
        // Hours 0–29, 10 texts an hour about Acme (1 counted negative); hour 24: 6 of 10 negative;
        // hour 27: 40 texts. Every counted text starts with "ACME" (as the split predicted it); "Pineapple" texts name nobody.
        var lines: [String] = []
        for h in 0..<30 {
            let n = h == 27 ? 40 : 10
            let negativeCount = h == 24 ? 6 : 1
            for i in 0..<n {
                let body = i < negativeCount ? negatives[(h + i) % negatives.count] : others[(h * 3 + i) % others.count]
                lines.append(Self.line("h\(h)-\(i)", body, hour: h, minute: i % 60))
            }
            lines.append(Self.line("p\(h)", "Pineapple " + others[h % others.count].dropFirst(5), hour: h, minute: 59))
        }
        lines.append(lines[5])  // a repeated id changes nothing
        try Self.write(lines.joined(separator: "\n") + "\n", dir.appendingPathComponent("stream.jsonl"))
        try Self.write(#"{"Acme": ["ACME", "艾克米"]}"#, dir.appendingPathComponent("watchlist.json"))
        try Self.write(
            """
            [{"name": "neg", "entity": "Acme", "metric": "negative_share", "detector": "ewma_z", "halflife": 6, "z": 3, "min_count": 5, "cooldown": 3},
             {"name": "spike", "metric": "volume", "detector": "threshold", "threshold": 25, "min_count": 0, "cooldown": 0}]
            """, dir.appendingPathComponent("rules.json"))
        let summaryURL = dir.appendingPathComponent("summary.json")
        let (status, out, err) = try CLI.run([
            "monitor", "replay", "--classifier", classifier.path, "--negative-labels", negativeLabel,
            "--watchlist", dir.appendingPathComponent("watchlist.json").path, "--rules", dir.appendingPathComponent("rules.json").path,
            "--input", dir.appendingPathComponent("stream.jsonl").path, "--bucket", "1h", "--summary", summaryURL.path,
        ])
        #expect(status == 0, "\(err)")
        let alerts = out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(alerts.count == 2, "\(out)")
        guard alerts.count == 2 else { return }
        #expect(Set(alerts[0].keys) == ["rule", "entity", "bucket_start", "value", "baseline", "score", "documents"])
        #expect(alerts[0]["rule"] as? String == "neg" && alerts[0]["entity"] as? String == "Acme")
        #expect(alerts[0]["bucket_start"] as? String == "2026-03-03T00:00:00Z")
        #expect(abs((alerts[0]["value"] as? Double ?? 0) - 0.6) < 1e-9)
        #expect(abs((alerts[0]["baseline"] as? Double ?? 0) - 0.1) < 1e-6 && (alerts[0]["score"] as? Double ?? 0) > 3)
        // The driving documents come from the surge's bucket.
        let docs = alerts[0]["documents"] as? [String] ?? []
        #expect(docs.count == 5 && docs.allSatisfy { $0.hasPrefix("h24-") }, "\(docs)")
        #expect(alerts[1]["rule"] as? String == "spike" && alerts[1]["entity"] as? String == "Acme")
        #expect(alerts[1]["bucket_start"] as? String == "2026-03-03T03:00:00Z" && alerts[1]["value"] as? Double == 40)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summaryURL)) as? [String: Int])
        #expect(summary == ["documents": 30 * 11 + 30, "buckets": 30, "alerts": 2])
    }

    @Test func badRulesAndStreamsNameTheFieldAndLine() throws {
        let dir = try Self.workFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let classifier = dir.appendingPathComponent("classifier").path
        try Self.write(Self.line("a", "ACME fine", hour: 0, minute: 0) + "\n", dir.appendingPathComponent("ok.jsonl"))
        try Self.write(
            #"[{"name": "r", "metric": "volume", "detector": "ewma_z"}, {"name": "z", "metric": "volume", "detector": "ewma_z", "z": 0}]"#,
            dir.appendingPathComponent("rules.json"))
        let (s1, _, e1) = try CLI.run([
            "monitor", "replay", "--classifier", classifier, "--rules", dir.appendingPathComponent("rules.json").path, "--input",
            dir.appendingPathComponent("ok.jsonl").path,
        ])
        #expect(s1 == 1 && e1.contains("rules.json: rule 2: alert rule: field 'z'"), "\(e1)")
        try Self.write(#"[{"name": "r", "metric": "volume", "detector": "ewma_z"}]"#, dir.appendingPathComponent("rules.json"))
        try Self.write(
            Self.line("a", "ACME fine", hour: 0, minute: 0) + "\n" + #"{"id": "b", "text": "x", "time": "yesterday"}"# + "\n",
            dir.appendingPathComponent("bad.jsonl"))
        let (s2, _, e2) = try CLI.run([
            "monitor", "replay", "--classifier", classifier, "--rules", dir.appendingPathComponent("rules.json").path, "--input",
            dir.appendingPathComponent("bad.jsonl").path,
        ])
        #expect(s2 == 1 && e2.contains("bad.jsonl") && e2.contains("2") && e2.contains("time"), "\(e2)")
        let (s3, _, e3) = try CLI.run([
            "monitor", "replay", "--classifier", classifier, "--rules", dir.appendingPathComponent("rules.json").path, "--input",
            dir.appendingPathComponent("ok.jsonl").path, "--bucket", "2h",
        ])
        #expect(s3 == 64 && e3.contains("--bucket must be 1m, 1h or 1d"), "\(e3)")
        let (s4, _, e4) = try CLI.run([
            "monitor", "replay", "--classifier", classifier, "--negative-labels", "angry", "--rules",
            dir.appendingPathComponent("rules.json").path, "--input", dir.appendingPathComponent("ok.jsonl").path,
        ])
        #expect(s4 == 1 && e4.contains("'angry' is not a label"), "\(e4)")
    }
}
