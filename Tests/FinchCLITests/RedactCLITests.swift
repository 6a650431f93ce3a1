import Foundation
import Testing

/// `finch redact` end to end: both formats, types, operators, keyed hash,
/// custom configuration, and clear errors.
@Suite struct RedactCLITests {
    static func temp() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-redact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func textFormatReplacesByDefault() throws {
        let (status, out, err) = try CLI.run(
            ["redact"], stdin: "mail ann@x.io or call 415-555-2671\n手机13812345678，身份证11010519491231002X\nnothing here\n")
        #expect(status == 0, "\(err)")
        #expect(out == "mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>\n手机<PHONE_NUMBER>，身份证<CN_RESIDENT_ID>\nnothing here\n")
    }

    @Test func jsonlGivesEntitiesWithCodePointOffsets() throws {
        let (status, out, err) = try CLI.run(
            ["redact", "--format", "jsonl", "--operator", "mask:4", "--operator", "EMAIL_ADDRESS=replace"],
            stdin: #"{"text": "😀 card 4111 1111 1111 1111, ann@x.io"}"# + "\n")
        #expect(status == 0, "\(err)")
        #expect(
            out
                == #"{"text": "😀 card ***************1111, <EMAIL_ADDRESS>", "entities": [{"type": "CREDIT_CARD", "start": 7, "end": 26, "score": 1.0, "recognizer": "CreditCardRecognizer"}, {"type": "EMAIL_ADDRESS", "start": 28, "end": 36, "score": 1.0, "recognizer": "EmailRecognizer"}]}"#
                + "\n")
    }

    @Test func typesRestrictWhatIsRedacted() throws {
        let (status, out, _) = try CLI.run(["redact", "--types", "URL, IP_ADDRESS"], stdin: "ann@x.io at 10.0.0.1 via https://a.io/x\n")
        #expect(status == 0)
        #expect(out == "ann@x.io at <IP_ADDRESS> via <URL>\n")
        let (bad, _, err) = try CLI.run(["redact", "--types", "EMAIL"], stdin: "x\n")
        #expect(bad == 1)
        #expect(err.contains("--types: unknown type EMAIL; known: CN_RESIDENT_ID CREDIT_CARD DATE_TIME"), "\(err)")
    }

    @Test func keyedHashIsStableAndNeedsAKey() throws {
        let dir = try Self.temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("key")
        try Data("Jefe".utf8).write(to: key)
        let (status, out, err) = try CLI.run(
            ["redact", "--operator", "hash", "--hash-key-file", key.path], stdin: "what do ya want for nothing?\nann@x.io ann@x.io\n")
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "what do ya want for nothing?")
        let tokens = lines[1].split(separator: " ")
        #expect(tokens.count == 2 && tokens[0] == tokens[1] && tokens[0].count == 64 && tokens[0].allSatisfy(\.isHexDigit))
        let (noKey, _, noKeyErr) = try CLI.run(["redact", "--operator", "EMAIL_ADDRESS=hash"], stdin: "ann@x.io\n")
        #expect(noKey == 1 && noKeyErr.contains("the hash operator needs --hash-key-file"), "\(noKeyErr)")
    }

    @Test func configurationAddsDenyListsAndPatterns() throws {
        let dir = try Self.temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("pii.json")
        try Data(
            #"{"deny_lists": [{"type": "PROJECT", "values": ["Falcon"]}], "patterns": [{"type": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}]}"#
                .utf8
        )
        .write(to: config)
        let (status, out, err) = try CLI.run(["redact", "--config", config.path], stdin: "Falcon lead EMP-123456\n")
        #expect(status == 0, "\(err)")
        #expect(out == "<PROJECT> lead <EMPLOYEE_ID>\n")
    }

    @Test func badInputIsNamed() throws {
        let (usage, _, usageErr) = try CLI.run(["redact", "--operator", "blur"], stdin: "")
        #expect(usage == 64 && usageErr.contains("operator `blur`"), "\(usageErr)")
        let (line, out, lineErr) = try CLI.run(["redact", "--format", "jsonl"], stdin: #"{"text": "a@b.io"}"# + "\n{\"txt\": 1}\n")
        #expect(line == 1 && lineErr.contains("line 2"), "\(lineErr)")
        #expect(out.hasPrefix(#"{"text": "<EMAIL_ADDRESS>""#))
        let (missing, _, missingErr) = try CLI.run(["redact", "--config", "/nonexistent/pii.json"], stdin: "x\n")
        #expect(missing == 1 && missingErr.contains("/nonexistent/pii.json"), "\(missingErr)")
    }
}

/// `finch redact --ner-model`: names come from a Finch tagger, as `finch predict` reports them.
@Suite struct RedactNamesCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    @Test func taggerNamesAreRedactedWhereThePredictorFindsThem() throws {
        let dir = try RedactCLITests.temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("ner").path
        let (ts, _, terr) = try CLI.run([
            "train", "ner", "--model", Self.fixtures.appendingPathComponent("tiny-bert-wordpiece").path, "--train",
            Self.fixtures.appendingPathComponent("tiny-ner.bio").path, "--out", model, "--epochs", "10", "--batch-size", "8", "--lr",
            "1e-2", "--max-length", "24",
        ])
        try #require(ts == 0, "\(terr)")
        let text = "Mary visited Paris . mail mary@x.io"
        let (ps, pout, _) = try CLI.run(["predict", "--model", model], stdin: text + "\n")
        try #require(ps == 0)
        let predicted =
            try #require(
                try JSONSerialization.jsonObject(with: Data(pout.utf8)) as? [String: Any])["entities"] as? [[String: Any]] ?? []
        let names: [String: String] = ["PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"]
        let expected = predicted.compactMap { e -> [Int]? in
            guard let label = e["label"] as? String, names[label] != nil, let s = e["start"] as? Int, let end = e["end"] as? Int,
                end <= 26 || s >= 35  // a name over the e-mail address (26..<35) loses to it (score 1)
            else { return nil }
            return [s, end]
        }
        #expect(!expected.isEmpty, "the tiny tagger found no names in \(pout)")
        let (rs, rout, rerr) = try CLI.run(["redact", "--ner-model", model, "--format", "jsonl"], stdin: #"{"text": "\#(text)"}"# + "\n")
        #expect(rs == 0, "\(rerr)")
        let redacted = try #require(try JSONSerialization.jsonObject(with: Data(rout.utf8)) as? [String: Any])
        let entities = try #require(redacted["entities"] as? [[String: Any]])
        let nameSpans = entities.filter { ["PERSON", "LOCATION", "ORGANIZATION"].contains($0["type"] as? String ?? "") }
            .map { [$0["start"] as! Int, $0["end"] as! Int] }
        #expect(nameSpans == expected)
        #expect(entities.contains { $0["type"] as? String == "EMAIL_ADDRESS" && $0["recognizer"] as? String == "EmailRecognizer" })
        // A classifier is not a tagger.
        let (cs, _, cerr) = try CLI.run(
            ["redact", "--ner-model", Self.fixtures.appendingPathComponent("tiny-bert-wordpiece").path], stdin: "x\n")
        #expect(cs == 1 && !cerr.isEmpty)
    }
}
