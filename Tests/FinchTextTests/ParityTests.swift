import Foundation
import Testing

@testable import FinchText

/// Bit-for-bit parity with Hugging Face `tokenizers` over the fixtures of
/// Scripts/make_tokenizer_fixtures.py: ids, tokens, type ids, offsets,
/// word ids and special-token masks of every case, and padded batches.
@Suite struct ParityTests {
    static func check(_ tokenizer: Tokenizer, fixture name: String) throws {
        let fixture = try TokenizerFixture.load(name)
        #expect(fixture.cases.count >= 250, "fixture \(name) should hold hundreds of cases")
        try check(tokenizer, cases: fixture.cases, label: name)
        for b in fixture.batches {
            let padded = try tokenizer.encode(batch: b.batch, padding: Padding(length: b.padding, multipleOf: b.multipleOf))
            #expect(padded.map(\.ids) == b.ids, "padded ids of \(b.batch)")
            #expect(padded.map(\.typeIDs) == b.typeIDs, "padded type ids of \(b.batch)")
            #expect(padded.map(\.attentionMask) == b.attention, "attention masks of \(b.batch)")
            #expect(padded.map(\.specialTokensMask) == b.special, "special masks of \(b.batch)")
        }
    }

    static func check(_ tokenizer: Tokenizer, cases: [TokenizerCase], label name: String) throws {
        var failures = 0
        for c in cases {
            let truncation = c.maxLength.map { Truncation(maxLength: $0, side: c.side ?? .right) }
            let encoding = tokenizer.encode(c.text, pair: c.pair, truncation: truncation)
            let offsets = encoding.offsets.flatMap { [$0.start, $0.end] }
            let same =
                encoding.ids == c.ids && encoding.tokens == c.tokens && encoding.typeIDs == c.typeIDs
                && offsets == c.offsets && encoding.wordIDs == c.words && encoding.specialTokensMask == c.special
            if !same {
                failures += 1
                if failures <= 12 {
                    Issue.record(
                        """
                        \(name): \(String(reflecting: c.text)) / \(String(reflecting: c.pair)) max \(String(describing: c.maxLength))
                          ids      \(encoding.ids)
                          expected \(c.ids)
                          tokens   \(encoding.tokens)
                          expected \(c.tokens)
                          types \(encoding.typeIDs) vs \(c.typeIDs)
                          offsets  \(offsets)
                          expected \(c.offsets)
                          words \(encoding.wordIDs.map { $0 ?? -1 }) vs \(c.words.map { $0 ?? -1 })
                          special \(encoding.specialTokensMask) vs \(c.special)
                        """)
                }
            }
            #expect(encoding.attentionMask == [Int](repeating: 1, count: encoding.count))
        }
        #expect(failures == 0, "\(failures) of \(cases.count) cases differ in \(name)")
    }

    @Test func miniLMTokenizerJSON() throws {
        try Self.check(try TextTestSupport.miniLM.get(), fixture: "minilm.jsonl")
    }

    @Test func miniLMVocabularyFallback() throws {
        try Self.check(try TextTestSupport.miniLMFromVocabulary.get(), fixture: "minilm.jsonl")
    }

    /// Small tokenizers built by the script to exercise every other
    /// supported component (see its docstring).
    @Test(arguments: [
        "wordpiece-isolated", "wordpiece-removed", "wordpiece-merged_with_previous", "wordpiece-merged_with_next",
        "wordpiece-contiguous", "unigram-first", "unigram-never", "unigram-nosplit",
    ])
    func syntheticComponents(name: String) throws {
        let tokenizer = try Tokenizer(contentsOf: TextTestSupport.fixtureURL("tokenizers/synthetic/\(name).json"))
        let cases = try TokenizerFixture.loadSynthetic().filter { $0.tokenizer == name }.map(\.case)
        #expect(cases.count >= 20)
        try Self.check(tokenizer, cases: cases, label: name)
    }

    @Test func e5Unigram() throws {
        try Self.check(try TextTestSupport.e5.get(), fixture: "e5.jsonl")
    }
}
