import FinchText
import Foundation
import PropertyBased
import Testing

/// Tokenizers on any Unicode string: no crash, one offset per token, offsets
/// inside the text, and vocabulary words that come back as themselves.
@Suite struct TokenizerPropertyTests {
    static let wordPiece = Result { try Tokenizer.load(directory: PropertyInputs.fixtures.appendingPathComponent("tiny-bert-wordpiece")) }
    static let synthetic = Result {
        try ["wordpiece-isolated", "unigram-first", "unigram-never"].map {
            try Tokenizer(contentsOf: PropertyInputs.fixtures.appendingPathComponent("tokenizers/synthetic/\($0).json"))
        }
    }

    @Test func anyTextEncodesWithOffsetsInsideIt() async throws {
        let tokenizers = try [Self.wordPiece.get()] + Self.synthetic.get()
        await propertyCheck(count: 300, input: PropertyInputs.text, PropertyInputs.shortText) { text, pair in
            let length = text.unicodeScalars.count, pairLength = pair.unicodeScalars.count
            for tokenizer in tokenizers {
                for encoding in [
                    tokenizer.encode(text), tokenizer.encode(text, pair: pair),
                    tokenizer.encode(text, truncation: Truncation(maxLength: 5)),
                ] {
                    #expect(encoding.ids.count == encoding.tokens.count && encoding.ids.count == encoding.offsets.count)
                    #expect(encoding.ids.allSatisfy { $0 >= 0 && $0 < tokenizer.vocabularySize })
                    #expect(encoding.sequenceIDs.count == encoding.ids.count)
                    for (span, sequence) in zip(encoding.offsets, encoding.sequenceIDs) {
                        // Offsets of the pair count from the start of the pair; special tokens have none.
                        let limit = sequence == nil ? 0 : sequence == 1 ? pairLength : length
                        #expect(
                            span.start >= 0 && span.start <= span.end && span.end <= limit,
                            "\(span) outside \(text.debugDescription) / \(pair.debugDescription): \(encoding.tokens) \(encoding.offsets)")
                    }
                }
                #expect(tokenizer.encode(text, truncation: Truncation(maxLength: 5)).ids.count <= 5)
            }
        }
    }

    @Test func vocabularyWordsComeBackAsThemselves() async throws {
        let tokenizer = try Self.wordPiece.get()
        let words = (0..<tokenizer.vocabularySize).compactMap { tokenizer.token(for: $0) }
            .filter { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } }
        try #require(words.count > 10)
        await propertyCheck(count: 200, input: Gen.int(in: 0...(words.count - 1))) { index in
            let word = words[index]
            let encoding = tokenizer.encode(word, addSpecialTokens: false)
            #expect(encoding.tokens == [word], "\(word) → \(encoding.tokens)")
            #expect(encoding.ids == [tokenizer.tokenID(for: word)])
        }
    }
}
