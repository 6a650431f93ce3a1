import FinchSupport
import Foundation
import Testing

@Suite struct JSONStringTests {
    @Test func escapesAsSerdeJSONAndPythonDo() {
        // Expected literals are json.dumps(s, ensure_ascii=False) of the same strings.
        #expect(JSONString.quoted("a\"b\\c/é") == #""a\"b\\c/é""#)
        #expect(JSONString.quoted("\n\r\t\u{08}\u{0C}\u{01}\u{1F}") == #""\n\r\t\b\f\u0001\u001f""#)
        #expect(JSONString.quoted("\u{7F}中🎉") == "\"\u{7F}中🎉\"")
    }

    @Test func quotedStringsDecodeBackToTheOriginal() throws {
        for s in ["", "plain", "tab\tquote\"back\\slash", "\u{00}\u{1F}\u{7F}", "emoji 🎉 and 中文"] {
            let decoded = try JSONDecoder().decode(String.self, from: Data(JSONString.quoted(s).utf8))
            #expect(decoded == s)
        }
    }
}

@Suite struct JSONLinesTests {
    func records(_ text: String) throws -> [JSONRecord] {
        var out: [JSONRecord] = []
        try JSONLines.forEachRecord(in: Array(text.utf8), file: "r.jsonl") { out.append($0) }
        return out
    }

    @Test func readsObjectsSkippingBlankLinesWithLineNumbers() throws {
        let rs = try records("\u{FEFF}{\"a\": 1}\n\n  \n{\"b\": [1, {\"c\": null}]}\r\n")
        #expect(rs.map(\.line) == [1, 4])
        #expect(rs[0].fields == ["a": .int(1)])
        #expect(rs[1].fields["b"] == .array([.int(1), .object(["c": .null])]))
    }

    @Test func streamingFromAFileGivesTheSameRecords() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write("r.jsonl", Array("{\"a\": \"x\"}\n{\"a\": 2.5}".utf8))
        var seen: [JSONValue] = []
        let count = try JSONLines.forEachRecord(in: url, file: "r.jsonl") { seen.append($0.fields["a"]!) }
        #expect(count == 2)
        #expect(seen == [.string("x"), .double(2.5)])
    }

    @Test func malformedLinesNameFileAndLine() {
        #expect(throws: DataError.malformedJSON(file: "r.jsonl", line: 2, reason: "invalid JSON")) {
            try records("{}\n{\"a\": \n")
        }
        #expect(throws: DataError.malformedJSON(file: "r.jsonl", line: 1, reason: "found an array")) { try records("[1]\n") }
        #expect(throws: DataError.invalidUTF8(file: "r.jsonl", line: 1, field: nil)) {
            try JSONLines.forEachRecord(in: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], file: "r.jsonl") { _ in }
        }
    }

    @Test func typedAccessSaysWhatIsWrong() throws {
        let r = JSONRecord(fields: ["text": .int(5), "rating": .string("x"), "n": .string(" 4.5 "), "id": .int(196)], file: "f", line: 3)
        #expect(throws: DataError.wrongType(file: "f", line: 3, field: "text", expected: "a string", found: "an integer")) {
            try r.string("text")
        }
        #expect(throws: DataError.notANumber(file: "f", line: 3, field: "rating", value: "x")) { try r.number("rating") }
        #expect(try r.number("n") == 4.5)
        #expect(try r.identifier("id") == "196")
        #expect(throws: DataError.missingColumn(file: "f", line: 3, column: "zz", found: ["id", "n", "rating", "text"])) {
            try r.value("zz")
        }
    }
}
