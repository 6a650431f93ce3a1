import Foundation
import PropertyBased
import Testing

@testable import FinchText

/// The real tokenizers (all-MiniLM-L6-v2's WordPiece, multilingual-e5-small's
/// Unigram through transformers' XLMRobertaTokenizer pipeline) on any
/// Unicode text: no crash, one id, token, offset and word per position,
/// offsets inside the text they came from, ids inside the vocabulary, and
/// the whitespace rules of the reference; WordPiece vocabulary words come
/// back as themselves. (The fixture tokenizers are covered by the property
/// tests of the readers of untrusted input.)
@Suite struct RealTokenizerPropertyTests {
    /// Scalars that stress normalizers and pre-tokenizers: every kind of
    /// whitespace and line end, controls, combining marks, zero-width
    /// characters, CJK, emoji, compatibility forms, `▁` and `##`.
    static let awkward: [Unicode.Scalar] =
        Array(
            " \t\n\r\u{0B}\u{0C}\u{85}\u{A0}\u{2009}\u{2028}\u{3000}\u{0}\u{1}\u{7F}\u{AD}\u{301}\u{200B}\u{200D}\u{FEFF}"
                .unicodeScalars) + Array("aZ09#.,-'<>[]/東京中文한글ß🙂👍🏽▁éﬁ①Ａ".unicodeScalars)
    /// Literal special tokens of both models, written into the text.
    static let literals = ["<s>", "</s>", "<pad>", "<mask>", "<unk>", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]", "  ", " "]

    /// Up to 30 pieces: an awkward scalar, any scalar (surrogates become U+FFFD) or a literal.
    static let text = Gen.uint32(in: 0...0x10_FFFF).array(of: 0...30).map { (codes: [UInt32]) -> String in
        var out = ""
        for code in codes {
            switch code % 5 {
            case 0: out.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            case 1: out += literals[Int(code / 5) % literals.count]
            default: out.unicodeScalars.append(awkward[Int(code / 5) % awkward.count])
            }
        }
        return out
    }

    static func tokenizers() throws -> [(String, Tokenizer)] {
        [("minilm", try TextTestSupport.miniLM.get()), ("e5", try TextTestSupport.e5.get())]
    }

    /// Every position has an id, token, type, offset and word; offsets lie in
    /// their own text; ids are in the vocabulary or added tokens.
    static func checkShape(_ e: Encoding, text: String, pair: String?, tokenizer: Tokenizer, label: String) {
        let n = e.ids.count
        #expect(
            e.tokens.count == n && e.typeIDs.count == n && e.offsets.count == n && e.wordIDs.count == n
                && e.sequenceIDs.count == n && e.specialTokensMask.count == n, "\(label)")
        let lengths = [text.unicodeScalars.count, pair?.unicodeScalars.count ?? 0]
        for (i, span) in e.offsets.enumerated() {
            #expect(tokenizer.token(for: e.ids[i]) != nil, "\(label): id \(e.ids[i]) unknown")
            let limit = e.sequenceIDs[i].map { lengths[$0] } ?? 0
            #expect(
                span.start >= 0 && span.start <= span.end && span.end <= limit,
                "\(label): \(span) outside \(text.debugDescription) / \(String(describing: pair?.debugDescription))")
        }
    }

    @Test func anyTextOrPairEncodesConsistently() async throws {
        let tokenizers = try Self.tokenizers()
        await propertyCheck(count: 150, input: Self.text, Self.text) { text, pair in
            for (name, tokenizer) in tokenizers {
                Self.checkShape(tokenizer.encode(text), text: text, pair: nil, tokenizer: tokenizer, label: name)
                Self.checkShape(tokenizer.encode(text, pair: pair), text: text, pair: pair, tokenizer: tokenizer, label: name)
                let cut = tokenizer.encode(text, pair: pair, truncation: Truncation(maxLength: 7))
                #expect(cut.ids.count <= 7, "\(name)")
                // The special tokens frame the text: they alone have no offsets inside it.
                let single = tokenizer.encode(text)
                #expect(single.specialTokensMask.filter { $0 == 1 }.count == tokenizer.specialTokenCount(isPair: false))
            }
        }
    }

    /// The reference's whitespace rules: spaces before or after a text never
    /// change its ids (both pipelines split on whitespace first), and an empty
    /// second text is no second text (transformers' `if text_pair`).
    ///
    /// The first rule does not hold in the reference itself when the text starts or ends with a
    /// format character or a combining mark: tokenizers 0.23.3 on multilingual-e5 encodes
    /// "\u{200D}\u{0301}" as [0, 6, 2] and " \u{200D}\u{0301} " as [0, 3309, 6, 2] (the mark joins
    /// the space before it). Such texts are checked for the second rule only.
    @Test func surroundingSpacesAndEmptyPairsChangeNothing() async throws {
        let tokenizers = try Self.tokenizers()
        await propertyCheck(count: 150, input: Self.text, Gen.int(in: 1...4)) { text, spaces in
            let padding = String(repeating: " ", count: spaces)
            let edges = [text.unicodeScalars.first, text.unicodeScalars.last].compactMap { $0 }
            let spacesMatter = edges.contains { Self.joinsItsNeighbour($0) }
            for (name, tokenizer) in tokenizers {
                let ids = tokenizer.encode(text).ids
                if !spacesMatter {
                    #expect(tokenizer.encode(padding + text + padding).ids == ids, "\(name): \(text.debugDescription)")
                }
                #expect(tokenizer.encode(text, pair: "").ids == ids, "\(name)")
            }
        }
    }

    /// A format character (ZWJ, ZWNJ, BOM …) or a combining mark: what the reference attaches to a
    /// neighbouring space.
    static func joinsItsNeighbour(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    @Test func wordPieceVocabularyWordsComeBackAsThemselves() async throws {
        let tokenizer = try TextTestSupport.miniLM.get()
        // Whole words (no ## continuation, no brackets) the lowercasing, accent-stripping normalizer keeps as they are.
        let words = (0..<tokenizer.vocabularySize).compactMap { tokenizer.token(for: $0) }
            .filter { word in !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) } }
        try #require(words.count > 20_000)
        await propertyCheck(count: 300, input: Gen.int(in: 0...(words.count - 1))) { index in
            let word = words[index]
            let encoding = tokenizer.encode(word, addSpecialTokens: false)
            #expect(encoding.tokens == [word] && encoding.ids == [tokenizer.tokenID(for: word)], "\(word) → \(encoding.tokens)")
            #expect(encoding.offsets == [TextSpan(start: 0, end: word.unicodeScalars.count)])
        }
    }

    /// SentencePiece's compiled normalization rules, damaged at random, and any
    /// key looked up in them: an error when the blob is read, or lookups that
    /// stay inside it.
    @Test func damagedCharsMapsNeverReadOutsideThemselves() async throws {
        let file = try TextTestSupport.e5Directory().appendingPathComponent("tokenizer.json")
        let json = try Tokenizer.decodeJSON(TokenizerJSON.self, from: file)
        guard case .sequence(let normalizers) = try #require(json.normalizer),
            case .precompiled(let base64?) = normalizers.first
        else { Issue.record("the e5 tokenizer has no Precompiled normalizer"); return }
        let original = [UInt8](try #require(Data(base64Encoded: base64)))
        let edits = zip(Gen.uint32(), Gen.uint8()).array(of: 0...6)
        let keys = Gen.uint8().array(of: 1...8)
        await propertyCheck(count: 300, input: edits, keys.array(of: 1...20)) { edits, keys in
            var blob = original
            for (position, byte) in edits {
                // Most edits hit the 4-byte length and the trie; some the replacement strings.
                let span = position % 4 == 0 ? blob.count : Swift.min(blob.count, 4 + 4096)
                blob[Int(position / 4) % span] = byte
            }
            do {
                let map = try PrecompiledCharsMap(blob: blob)
                for key in keys {
                    key.withUnsafeBufferPointer { _ = map.firstPrefixReplacement($0) }
                }
            } catch {
                #expect(error is TokenizerError, "\(error)")
            }
        }
    }
}
