import Foundation
import Testing

@testable import FinchText

/// The analyzer's overlap rule, the operators, offsets in mixed scripts, and
/// the promise that everything outside a finding is left byte-identical.
@Suite struct PIIRedactionTests {
    @Test func overlapsKeepTheHighestScoreThenTheLongest() {
        let a = PIIFinding(type: "A", start: 0, end: 10, score: 0.5, recognizer: "a")
        let b = PIIFinding(type: "B", start: 5, end: 8, score: 0.9, recognizer: "b")
        let c = PIIFinding(type: "C", start: 7, end: 12, score: 0.9, recognizer: "c")
        let d = PIIFinding(type: "D", start: 20, end: 22, score: 0.1, recognizer: "d")
        #expect(PIIAnalyzer.resolveOverlaps([a, b, c, d]) == [c, d])  // same score: the longer one
        #expect(PIIAnalyzer.resolveOverlaps([d, a]) == [a, d])
    }

    @Test func mixedTextFindsEveryType() throws {
        let text =
            "Mail jane@example.com, call +1 415-555-2671, card 4111111111111111, IBAN DE89370400440532013000, SSN 123-45-6789, "
            + "身份证11010519491231002X, 手机13812345678, IP 10.1.2.3, see https://finch.dev, born 1990-04-23."
        #expect(
            try PII.analyzed(text) == [
                "EMAIL_ADDRESS:jane@example.com", "PHONE_NUMBER:+1 415-555-2671", "CREDIT_CARD:4111111111111111",
                "IBAN_CODE:DE89370400440532013000", "US_SSN:123-45-6789", "CN_RESIDENT_ID:11010519491231002X",
                "PHONE_NUMBER:13812345678", "IP_ADDRESS:10.1.2.3", "URL:https://finch.dev", "DATE_TIME:1990-04-23",
            ])
    }

    @Test func offsetsAreUnicodeScalarsWithEmojiAndChinese() throws {
        // 👩‍💻 is three scalars (two of them outside the BMP: two UTF-16 units each).
        let text = "👩‍💻联系：a@b.cn 🎉 13812345678"
        let findings = try PIIAnalyzer.standard().analyze(text)
        #expect(findings.map(\.start) == [6, 15])
        #expect(findings.map(\.end) == [12, 26])
        let redacted = try PIIRedactor.standard().redact(text)
        #expect(redacted.text == "👩‍💻联系：<EMAIL_ADDRESS> 🎉 <PHONE_NUMBER>")
    }

    @Test func restOfTheTextIsByteIdentical() throws {
        // Decomposed é (e + U+0301) and CRLF must survive untouched.
        let text = "Cafe\u{301} \r\n mail x@y.org\u{301}\u{200B} fin 😀"
        let redacted = try PIIRedactor(analyzer: .standard(), operators: PIIOperators(defaultOperator: .remove)).redact(text)
        let expected = "Cafe\u{301} \r\n mail \u{301}\u{200B} fin 😀"
        #expect(Array(redacted.text.utf8) == Array(expected.utf8))
    }

    @Test func operators() throws {
        struct Reverse: PIIKeyedHasher { func token(for value: String) -> String { String(value.reversed()) } }
        let text = "card 4111111111111111 mail ann@x.io"
        let byType = PIIOperators(defaultOperator: .replace, byType: [.creditCard: .mask(keepLast: 4, character: "*")])
        #expect(try PIIRedactor(analyzer: .standard(), operators: byType).redact(text).text == "card ************1111 mail <EMAIL_ADDRESS>")
        let hashed = PIIRedactor(analyzer: try .standard(), operators: PIIOperators(defaultOperator: .hash), hasher: Reverse())
        #expect(try hashed.redact("ann@x.io").text == "oi.x@nna")
        #expect(throws: PIIError.hashWithoutKey(type: "EMAIL_ADDRESS")) {
            try PIIRedactor(analyzer: .standard(), operators: PIIOperators(defaultOperator: .hash)).redact("ann@x.io")
        }
        let removed = PIIRedactor(analyzer: try .standard(), operators: PIIOperators(defaultOperator: .remove))
        #expect(try removed.redact("a ann@x.io b").text == "a  b")
        let maskAll = PIIRedactor(analyzer: try .standard(), operators: PIIOperators(defaultOperator: .mask(keepLast: 0, character: "#")))
        #expect(try maskAll.redact("手机13812345678").text == "手机###########")
        let keepMore = PIIRedactor(analyzer: try .standard(), operators: PIIOperators(defaultOperator: .mask(keepLast: 99, character: "#")))
        #expect(try keepMore.redact("ann@x.io").text == "ann@x.io")
    }

    @Test func operatorSpellings() throws {
        let parsed = try PIIOperators(parsing: ["mask:2", "EMAIL_ADDRESS=hash", "URL=remove"])
        #expect(parsed.defaultOperator == .mask(keepLast: 2, character: "*"))
        #expect(parsed(.emailAddress) == .hash)
        #expect(parsed(.url) == .remove)
        #expect(parsed(.phoneNumber) == .mask(keepLast: 2, character: "*"))
        #expect(try PIIOperator(parsing: "mask") == .mask(keepLast: 4, character: "*"))
        for bad in ["blur", "mask:-1", "mask:x", "=hash"] {
            #expect(throws: PIIError.self, "\(bad)") { try PIIOperators(parsing: [bad]) }
        }
    }

    @Test func typesAndScoresFilter() throws {
        let text = "ann@x.io 4111111111111111"
        let analyzer = try PIIAnalyzer.standard()
        #expect(try analyzer.analyze(text, types: [.creditCard]).map(\.type) == [.creditCard])
        #expect(try PIIRedactor(analyzer: analyzer, types: [.emailAddress]).redact(text).text == "<EMAIL_ADDRESS> 4111111111111111")
        let lowScore = "Berlin 030/1234567 ann@x.io"  // national phone form scores 0.5
        #expect(try analyzer.analyze(lowScore, minimumScore: 0.6).map(\.type) == [.emailAddress])
    }

    @Test func configurationFileAddsRecognizers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pii-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.json")
        try Data(
            #"{"deny_lists": [{"type": "PROJECT", "values": ["Falcon"]}], "patterns": [{"type": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}", "score": 0.9}]}"#
                .utf8
        ).write(to: good)
        let analyzer = try PIIAnalyzer.standard(configuration: try PIIConfiguration.load(path: good.path))
        let findings = try analyzer.analyze("Falcon lead EMP-123456")
        #expect(findings.map(\.type) == ["PROJECT", "EMPLOYEE_ID"])
        #expect(findings.map(\.score) == [1.0, 0.9])

        let badRegex = dir.appendingPathComponent("bad.json")
        try Data(#"{"patterns": [{"type": "X", "regex": "(["}]}"#.utf8).write(to: badRegex)
        let error = try #require(throws: PIIError.self) {
            try PIIAnalyzer.standard(configuration: try PIIConfiguration.load(path: badRegex.path))
        }
        #expect(error.description.contains("bad.json: patterns[0] (X)"))

        let missing = dir.appendingPathComponent("missing-field.json")
        try Data(#"{"deny_lists": [{"values": ["a"]}]}"#.utf8).write(to: missing)
        let error2 = try #require(throws: PIIError.self) { try PIIConfiguration.load(path: missing.path) }
        #expect(error2.description.contains("deny_lists[0].type"), "\(error2)")
    }
}
