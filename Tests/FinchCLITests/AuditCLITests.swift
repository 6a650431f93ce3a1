import Foundation
import Testing

/// `finch audit classify` and `finch audit-log` end to end.
@Suite struct AuditCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func temp() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The audit's selection rates and accuracies equal those computed here from `finch predict`'s labels.
    @Test func classifyAuditMatchesPredictions() throws {
        let dir = try Self.temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model").path
        let (ts, _, terr) = try CLI.run([
            "train", "classify", "--model", Self.fixtures.appendingPathComponent("tiny-bert-wordpiece").path, "--train",
            Self.fixtures.appendingPathComponent("tiny-sentiment.csv").path, "--out", model, "--epochs", "2", "--batch-size", "8",
            "--max-length", "16",
        ])
        try #require(ts == 0, "\(terr)")
        let rows: [(String, String, String)] = [
            ("the film was very great", "pos", "young"), ("the story was very boring", "neg", "young"),
            ("the actor was good", "pos", "old"), ("the plot is awful", "neg", "old"), ("a wonderful story", "pos", "old"),
            ("a dull film", "neg", "solo"),
        ]
        let data = dir.appendingPathComponent("audit.csv")
        try Data(("text,label,band\n" + rows.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n") + "\n").utf8).write(to: data)
        let (ps, pout, _) = try CLI.run(["predict", "--model", model], stdin: rows.map(\.0).joined(separator: "\n") + "\n")
        try #require(ps == 0)
        let predicted = try pout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["label"] as? String ?? ""
        }
        let jsonFile = dir.appendingPathComponent("audit.json").path
        let (status, out, err) = try CLI.run([
            "audit", "classify", "--model", model, "--data", data.path, "--group-column", "band", "--positive-label", "pos", "--json",
            "--out", jsonFile,
        ])
        #expect(status == 0, "\(err)")
        let audit = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(try String(contentsOfFile: jsonFile, encoding: .utf8) == out)
        let groups = try #require(audit["groups"] as? [[String: Any]])
        #expect(groups.map { $0["group"] as? String } == ["old", "solo", "young"])
        var rates: [Double] = []
        for group in groups {
            let name = group["group"] as! String
            let members = rows.indices.filter { rows[$0].2 == name }
            let selection = Double(members.filter { predicted[$0] == "pos" }.count) / Double(members.count)
            let accuracy = Double(members.filter { predicted[$0] == rows[$0].1 }.count) / Double(members.count)
            #expect(group["count"] as? Int == members.count)
            #expect(abs((group["selection_rate"] as? Double ?? -1) - selection) < 1e-12)
            #expect(abs((group["accuracy"] as? Double ?? -1) - accuracy) < 1e-12)
            rates.append(selection)
        }
        #expect(abs((audit["demographic_parity_difference"] as? Double ?? -1) - (rates.max()! - rates.min()!)) < 1e-12)
        // The readable report and the default positive label (the second of two).
        let (rs, report, rerr) = try CLI.run(["audit", "classify", "--model", model, "--data", data.path, "--group-column", "band"])
        #expect(rs == 0, "\(rerr)")
        #expect(report.hasPrefix("Fairness audit by band (positive label: pos)"))
        // A missing group column is named with the file.
        let (ms, _, merr) = try CLI.run(["audit", "classify", "--model", model, "--data", data.path, "--group-column", "age"])
        #expect(ms == 1 && merr.contains("age") && merr.contains("audit.csv"), "\(merr)")
        let (ls, _, lerr) = try CLI.run([
            "audit", "classify", "--model", model, "--data", data.path, "--group-column", "band", "--positive-label", "maybe",
        ])
        #expect(ls == 1 && lerr.contains("positive label `maybe`"), "\(lerr)")
        // The audit joins the model card.
        let (cs, cout, cerr) = try CLI.run(["card", "--model", model, "--audit", jsonFile])
        #expect(cs == 0, "\(cerr)")
        #expect(cout == "model card written to \(model)/README.md\n")
        let card = try String(contentsOfFile: model + "/README.md", encoding: .utf8)
        #expect(card.hasPrefix("---\nlibrary_name: finch\npipeline_tag: text-classification\n"))
        #expect(card.contains("By `band` (positive label `pos`; `finch audit classify`):"))
        #expect(card.contains("| solo | 1 | "))
        let (bs, _, berr) = try CLI.run(["card", "--model", model, "--audit", data.path])
        #expect(bs == 1 && berr.contains("not the JSON of `finch audit classify`"), "\(berr)")
    }

    @Test func auditLogAppendVerifyAndTamper() throws {
        let dir = try Self.temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("audit.jsonl").path
        for (action, subject) in [("key.create", "k1"), ("model.activate", "m@1"), ("user.erase", "u7")] {
            let (s, _, e) = try CLI.run([
                "audit-log", "append", "--file", log, "--actor", "admin", "--action", action, "--subject", subject,
            ])
            #expect(s == 0, "\(e)")
        }
        let (vs, vout, _) = try CLI.run(["audit-log", "verify", log])
        #expect(vs == 0)
        #expect(vout.contains("3 entries, chain intact"))
        var lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "m@1", with: "m@2")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: log))
        let (bs, _, berr) = try CLI.run(["audit-log", "verify", log])
        #expect(bs == 1)
        #expect(berr.contains("line 2: entry 2 was changed"), "\(berr)")
        let (as_, _, aerr) = try CLI.run(["audit-log", "append", "--file", log, "--actor", "a", "--action", "b", "--subject", "c"])
        #expect(as_ == 1 && aerr.contains("line 2"), "\(aerr)")
    }
}
