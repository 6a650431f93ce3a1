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
