import Foundation
import Testing

@testable import FinchText

/// `finch tokenize`'s library function: line formats, output JSON, errors
/// naming the line, odd bytes.
@Suite struct LineTokenizationTests {
    /// Runs `job` over `input` fed in small chunks; returns the output lines and the error, if any.
    static func run(_ job: LineTokenization, _ input: Data, chunk: Int = 7) -> (lines: [String], error: (any Error)?) {
        var offset = 0
        var output = ""
        do {
            try job.run(
                readChunk: {
                    guard offset < input.count else { return nil }
                    let end = min(input.count, offset + chunk)
                    defer { offset = end }
                    return input.subdata(in: offset..<end)
                },
                write: { output += $0 })
        } catch {
            return (output.split(separator: "\n").map(String.init), error)
        }
        return (output.split(separator: "\n").map(String.init), nil)
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func textLinesGiveOneObjectEachInOrder() throws {
        let tokenizer = try TextTestSupport.miniLM.get()
        let texts = (0..<40).map { "Line \($0): naïve café, \"quoted\" \\ back\tslash 中文" } + ["", "last"]
        let job = LineTokenization(tokenizer: tokenizer, batchSize: 3)
        let (lines, error) = Self.run(job, Data(texts.joined(separator: "\r\n").utf8))
        #expect(error == nil)
        #expect(lines.count == texts.count)
        for (line, text) in zip(lines, texts) {
            let object = try Self.object(line)
            let encoding = tokenizer.encode(text)
            #expect(object["input_ids"] as? [Int] == encoding.ids)
            #expect(object["tokens"] as? [String] == encoding.tokens)
            #expect(object["token_type_ids"] as? [Int] == encoding.typeIDs)
            #expect(object["attention_mask"] as? [Int] == encoding.attentionMask)
            #expect(object["offsets"] as? [[Int]] == encoding.offsets.map { [$0.start, $0.end] })
        }
        // Keys in the documented order.
        let first = try #require(lines.first)
        #expect(first.hasPrefix("{\"input_ids\": ["))
        let order = ["input_ids", "tokens", "token_type_ids", "attention_mask", "offsets"].map {
            first.range(of: "\"\($0)\"")!.lowerBound
        }
        #expect(order == order.sorted())
    }

    @Test func jsonlPairsAndTruncation() throws {
        let tokenizer = try TextTestSupport.miniLM.get()
        let input = """
            {"text": "What is AI?", "text_pair": "Artificial intelligence is the branch of engineering."}
            {"text": "No pair here", "text_pair": null}
            {"text_pair": "x", "text": "Order does not matter"}
            """
        let truncation = Truncation(maxLength: 8)
        let job = LineTokenization(tokenizer: tokenizer, format: .jsonl, truncation: truncation)
        let (lines, error) = Self.run(job, Data(input.utf8))
        #expect(error == nil)
        #expect(lines.count == 3)
        let first = try Self.object(lines[0])
        let expected = tokenizer.encode(
            "What is AI?", pair: "Artificial intelligence is the branch of engineering.", truncation: truncation)
        #expect(first["input_ids"] as? [Int] == expected.ids)
        #expect(expected.count == 8)
        #expect(first["token_type_ids"] as? [Int] == expected.typeIDs)
        #expect((first["token_type_ids"] as? [Int])?.contains(1) == true)
        #expect(try Self.object(lines[1])["input_ids"] as? [Int] == tokenizer.encode("No pair here").ids)
    }

    @Test func errorsNameTheLine() throws {
        let tokenizer = try TextTestSupport.miniLM.get()
        let job = LineTokenization(tokenizer: tokenizer, format: .jsonl)
        let cases: [(String, Int, String)] = [
            ("{\"text\": \"ok\"}\n{\"text\": \"ok\"\n", 2, "not valid JSON"),
            ("{\"text\": \"ok\"}\n{\"txt\": \"x\"}\n", 2, "missing field `text`"),
            ("{\"text\": 5}\n", 1, "field `text` must be a string"),
            ("{\"text\": \"a\", \"text_pair\": [1]}\n", 1, "field `text_pair` must be a string"),
            ("{\"text\": \"a\"}\n\n{\"text\": \"b\"}\n", 2, "empty line"),
            ("[1, 2]\n", 1, "expected a JSON object"),
        ]
        for (input, line, reason) in cases {
            let (lines, error) = Self.run(job, Data(input.utf8))
            let tokenizerError = try #require(error as? TokenizerError, "\(input)")
            guard case .invalidInputLine(let reported, let message) = tokenizerError else {
                Issue.record("unexpected \(tokenizerError)")
                continue
            }
            #expect(reported == line, "\(input)")
            #expect(message.contains(reason), "\(message)")
            #expect(tokenizerError.description.hasPrefix("input line \(line):"))
            #expect(lines.count == line - 1, "lines before the bad one are written: \(input)")
        }
        let tooShort = LineTokenization(tokenizer: tokenizer, format: .jsonl, truncation: Truncation(maxLength: 2))
        let (_, error) = Self.run(tooShort, Data("{\"text\": \"a\"}\n{\"text\": \"a\", \"text_pair\": \"b\"}\n".utf8))
        #expect(
            (error as? TokenizerError)
                == .invalidInputLine(line: 2, reason: "max length 2 is below the 3 special tokens of a text pair"))
    }

    @Test func invalidUTF8BytesAreReadAsReplacementCharacters() throws {
        let tokenizer = try TextTestSupport.miniLM.get()
        var input = Data("good \u{00E9}".utf8)
        input.append(contentsOf: [0xC3, 0x28, 0x20, 0xFF, 0xFE, 0x0A, 0xE2, 0x82])  // bad sequences, cut last line
        let (lines, error) = Self.run(LineTokenization(tokenizer: tokenizer), input, chunk: 3)
        #expect(error == nil)
        #expect(lines.count == 2)
        let expected = tokenizer.encode("good \u{00E9}\u{FFFD}( \u{FFFD}\u{FFFD}")
        #expect(try Self.object(lines[0])["tokens"] as? [String] == expected.tokens)
        #expect(try Self.object(lines[1])["tokens"] as? [String] == ["[CLS]", "[SEP]"])
    }

    @Test func jsonStringEscaping() throws {
        var out = ""
        LineTokenization.appendJSONString("a\"b\\c\n\t\u{1}\u{1F}é😀", to: &out)
        #expect(out == #""a\"b\\c\n\t\u0001\u001fé😀""#)
        let decoded = try JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed]) as? String
        #expect(decoded == "a\"b\\c\n\t\u{1}\u{1F}é😀")
    }
}
