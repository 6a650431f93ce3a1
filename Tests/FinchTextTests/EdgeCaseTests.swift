import Foundation
import Testing

@testable import FinchText

/// Inputs that must never crash or blow up, and behaviour the fixtures do
/// not pin (truncation below the special tokens, batching, thread safety).
@Suite struct EdgeCaseTests {
    static func allTokenizers() throws -> [(String, Tokenizer)] {
        [
            ("minilm", try TextTestSupport.miniLM.get()), ("minilm-vocab", try TextTestSupport.miniLMFromVocabulary.get()),
            ("e5", try TextTestSupport.e5.get()),
        ]
    }

    @Test func emptyAndWhitespaceOnlyTextsGiveOnlySpecialTokens() throws {
        let bert = try TextTestSupport.miniLM.get()
        for text in ["", " ", "\t\n\r ", "\u{0}\u{1}\u{7F}", "\u{200B}\u{FEFF}"] {
            let encoding = bert.encode(text)
            #expect(encoding.tokens == ["[CLS]", "[SEP]"], "\(String(reflecting: text))")
            #expect(encoding.wordIDs == [nil, nil])
            #expect(encoding.offsets == [.none, .none])
        }
    }

    /// 100k-scalar inputs of several shapes: each must finish quickly (a
    /// quadratic step would take minutes at this size) and give sane output.
    @Test func hundredThousandCharacterInputsAreLinear() throws {
        let n = 100_000
        let inputs: [(String, String)] = [
            ("words", String(repeating: "word ", count: n / 5)),
            ("one long word", String(repeating: "a", count: n)),
            ("chinese", String(repeating: "中文", count: n / 2)),
            ("combining marks", "e" + String(repeating: "\u{301}", count: n - 1)),
            ("spaces", String(repeating: " ", count: n)),
            ("emoji", String(repeating: "👍🏽", count: n / 2)),
        ]
        for (label, tokenizer) in try Self.allTokenizers() {
            for (shape, text) in inputs {
                let start = Date()
                let encoding = tokenizer.encode(text)
                let seconds = Date().timeIntervalSince(start)
                #expect(seconds < 30, "\(label) took \(seconds) s on \(shape)")
                #expect(encoding.count >= 2, "\(label) \(shape)")
                let length = text.unicodeScalars.count
                #expect(encoding.offsets.allSatisfy { $0.start <= $0.end && $0.end <= length })
            }
        }
        // BERT specifics: a word longer than 100 scalars is one [UNK]; each word is a token.
        let bert = try TextTestSupport.miniLM.get()
        #expect(bert.encode(String(repeating: "a", count: n)).tokens == ["[CLS]", "[UNK]", "[SEP]"])
        #expect(bert.encode(String(repeating: "word ", count: n / 5)).count == n / 5 + 2)
    }

    @Test func truncationBelowTheSpecialTokensLeavesOnlyThem() throws {
        let bert = try TextTestSupport.miniLM.get()
        let single = bert.encode("one two three", truncation: Truncation(maxLength: 1))
        #expect(single.tokens == ["[CLS]", "[SEP]"])
        let pair = bert.encode("one two", pair: "three four", truncation: Truncation(maxLength: 2))
        #expect(pair.tokens == ["[CLS]", "[SEP]", "[SEP]"])
    }

    @Test func truncationFromTheLeftKeepsTheEnd() throws {
        let bert = try TextTestSupport.miniLM.get()
        let encoding = bert.encode("one two three four five", truncation: Truncation(maxLength: 4, side: .left))
        #expect(encoding.tokens == ["[CLS]", "four", "five", "[SEP]"])
        #expect(encoding.wordIDs == [nil, 3, 4, nil])
        #expect(encoding.offsets[1] == TextSpan(start: 14, end: 18))
    }

    @Test func pairsCarrySegmentsWordsAndSequenceIDs() throws {
        let bert = try TextTestSupport.miniLM.get()
        let encoding = bert.encode("Hello there", pair: "General Kenobi!")
        // Reference: tokenizers 0.23.3 on the same input.
        #expect(encoding.tokens == ["[CLS]", "hello", "there", "[SEP]", "general", "ken", "##ob", "##i", "!", "[SEP]"])
        #expect(encoding.typeIDs == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        #expect(encoding.sequenceIDs == [nil, 0, 0, nil, 1, 1, 1, 1, 1, nil])
        #expect(encoding.wordIDs == [nil, 0, 1, nil, 0, 1, 1, 1, 2, nil])
        #expect(encoding.offsets[6] == TextSpan(start: 11, end: 13))
        let plain = bert.encode("Hello there", pair: "General Kenobi!", addSpecialTokens: false)
        #expect(plain.tokens == ["hello", "there", "general", "ken", "##ob", "##i", "!"])
        #expect(plain.typeIDs == [0, 0, 1, 1, 1, 1, 1])
    }

    @Test func batchesMatchSingleEncodingsInOrder() throws {
        let texts = (0..<500).map { i in "Sentence number \(i) with \(String(repeating: "x", count: i % 17)) café 中\(i)" }
        for (label, tokenizer) in try Self.allTokenizers() {
            let batch = try tokenizer.encode(batch: texts)
            #expect(batch == texts.map { tokenizer.encode($0) }, "\(label)")
            let padded = try tokenizer.encode(batch: texts, padding: Padding(multipleOf: 8, side: .left))
            let longest = batch.map(\.count).max() ?? 0
            let target = (longest + 7) / 8 * 8
            #expect(padded.allSatisfy { $0.count == target }, "\(label)")
            let pad = try #require(tokenizer.paddingToken)
            for (plain, left) in zip(batch, padded) {
                let missing = target - plain.count
                #expect(Array(left.ids.prefix(missing)) == [Int](repeating: pad.id, count: missing))
                #expect(Array(left.ids.suffix(plain.count)) == plain.ids)
                #expect(left.attentionMask == [Int](repeating: 0, count: missing) + [Int](repeating: 1, count: plain.count))
            }
        }
    }

    @Test func paddingTokensComeFromTheModel() throws {
        #expect(try TextTestSupport.miniLM.get().paddingToken == PaddingToken(id: 0, token: "[PAD]"))
        #expect(try TextTestSupport.miniLMFromVocabulary.get().paddingToken == PaddingToken(id: 0, token: "[PAD]"))
        #expect(try TextTestSupport.e5.get().paddingToken == PaddingToken(id: 1, token: "<pad>"))
    }

    @Test func paddingWithoutAPadTokenIsAnError() throws {
        let json = """
            {"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1}, "unk_token": "[UNK]"}}
            """
        let tokenizer = try Tokenizer(json: JSONDecoder().decode(TokenizerJSON.self, from: Data(json.utf8)))
        #expect(tokenizer.paddingToken == nil)
        #expect(throws: TokenizerError.self) { try tokenizer.encode(batch: ["a"], padding: Padding()) }
        // No pre-tokenizer: "a a" is one word, which the vocabulary lacks.
        #expect(try tokenizer.encode(batch: ["a", "a a"]).map(\.ids) == [[1], [0]])
    }

    @Test func concurrentUseGivesTheSameResults() async throws {
        let tokenizer = try TextTestSupport.e5.get()
        let texts = ["Bonjour le monde", "机器学习很有趣", "Hello   world  ", "naïve café"]
        let expected = texts.map { tokenizer.encode($0) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<32 {
                group.addTask {
                    let k = i % texts.count
                    return tokenizer.encode(texts[k]) == expected[k]
                }
            }
            for try await same in group { #expect(same) }
        }
    }

    @Test func vocabularyLookups() throws {
        let bert = try TextTestSupport.miniLM.get()
        #expect(bert.vocabularySize == 30522)
        #expect(bert.tokenID(for: "[CLS]") == 101)
        #expect(bert.tokenID(for: "hello") == 7592)
        #expect(bert.token(for: 102) == "[SEP]")
        #expect(bert.tokenID(for: "no-such-token") == nil)
        #expect(bert.specialTokenCount(isPair: false) == 2)
        #expect(bert.specialTokenCount(isPair: true) == 3)
        let e5 = try TextTestSupport.e5.get()
        #expect(e5.vocabularySize == 250_002)
        #expect(e5.tokenID(for: "<mask>") == 250_001)
        #expect(e5.token(for: 6) == "▁")
        #expect(e5.specialTokenCount(isPair: true) == 4)
    }
}
