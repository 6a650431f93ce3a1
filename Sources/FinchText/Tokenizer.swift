import Foundation

/// The vocabulary model of a tokenizer.
enum TokenizerModel: Sendable {
    case wordPiece(WordPieceModel)
    case unigram(UnigramModel)

    @inline(__always)
    func tokenize(_ text: UnsafeBufferPointer<UInt32>, into output: inout [ModelToken]) {
        switch self {
        case .wordPiece(let model): model.tokenize(text, into: &output)
        case .unigram(let model): model.tokenize(text, into: &output)
        }
    }

    func token(for id: Int) -> String? {
        switch self {
        case .wordPiece(let model): return model.token(for: id)
        case .unigram(let model): return id >= 0 && id < model.pieces.count ? model.pieces[id] : nil
        }
    }

    func id(for token: String) -> Int? {
        switch self {
        case .wordPiece(let model): return model.vocabulary[token]
        case .unigram(let model): return model.pieceIDs[token]
        }
    }

    var vocabularySize: Int {
        switch self {
        case .wordPiece(let model): return model.vocabulary.count
        case .unigram(let model): return model.pieces.count
        }
    }
}

/// A text tokenizer with the pipeline of Hugging Face `tokenizers`:
/// added-token matching → normalizer → pre-tokenizer → model (WordPiece or
/// Unigram) → post-processor (special tokens), then optional truncation and
/// padding. Given the same `tokenizer.json` it produces the same ids,
/// tokens, type ids, offsets and word ids as `tokenizers` (offsets in
/// Unicode scalars, i.e. Python string indices).
///
/// Load one with `Tokenizer.load(directory:)` (a Hugging Face model folder)
/// or `Tokenizer(contentsOf:)` (a `tokenizer.json`). A tokenizer is
/// immutable and may be used from several threads at once.
///
/// Any `String` can be encoded: empty text gives only the special tokens,
/// characters the vocabulary lacks become the unknown token, and the work
/// is linear in the text length (a WordPiece word is cut at 100 scalars;
/// Unigram's lattice is bounded by the longest piece).
public final class Tokenizer: Sendable {
    let model: TokenizerModel
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let addedVocabulary: AddedVocabulary
    /// Special tokens added around the texts; nil adds none.
    public let postProcessor: TemplateProcessing?
    /// The token batches are padded with, when the tokenizer has one.
    public let paddingToken: PaddingToken?
    private let addedTokenIDs: [String: Int]
    private let addedTokenContents: [Int: String]

    init(
        model: TokenizerModel, normalizer: Normalizer?, preTokenizer: PreTokenizer?, addedTokens: [AddedToken],
        postProcessor: TemplateProcessing?, paddingToken: PaddingToken?
    ) {
        self.model = model
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.addedVocabulary = AddedVocabulary(tokens: addedTokens, normalizer: normalizer)
        self.postProcessor = postProcessor
        self.paddingToken = paddingToken
        var ids: [String: Int] = [:]
        var contents: [Int: String] = [:]
        for token in addedTokens {
            ids[token.content] = token.id
            contents[token.id] = token.content
        }
        self.addedTokenIDs = ids
        self.addedTokenContents = contents
    }

    /// The added tokens (special tokens first among them), as configured.
    public var addedTokens: [AddedToken] { addedVocabulary.tokens }

    /// Number of entries of the model's vocabulary (added tokens outside it not counted).
    public var vocabularySize: Int { model.vocabularySize }

    /// The id of a token string: an added token, else a vocabulary entry.
    public func tokenID(for token: String) -> Int? {
        addedTokenIDs[token] ?? model.id(for: token)
    }

    /// The token string of an id: an added token, else a vocabulary entry.
    public func token(for id: Int) -> String? {
        addedTokenContents[id] ?? model.token(for: id)
    }

    /// Number of special tokens the post-processor adds to one text or a pair.
    public func specialTokenCount(isPair: Bool) -> Int {
        postProcessor?.addedTokenCount(isPair: isPair) ?? 0
    }

    /// Encodes one text, or a pair (`text`, `pair`). An empty `pair` counts
    /// as none, as in `transformers` (which tests `if text_pair`): the text
    /// is encoded alone, with no second segment. A first text that is empty
    /// still makes a pair.
    ///
    /// - Parameters:
    ///   - addSpecialTokens: apply the post-processor's template (`[CLS]` … `[SEP]`).
    ///   - truncation: cut to a maximum length (special tokens included); nil keeps everything.
    public func encode(
        _ text: String, pair: String? = nil, addSpecialTokens: Bool = true, truncation: Truncation? = nil
    ) -> Encoding {
        let pair = pair?.isEmpty == true ? nil : pair
        var first = encodeSequence(text, sequenceIndex: 0)
        var second = pair.map { encodeSequence($0, sequenceIndex: 1) }
        if let truncation {
            let specials = addSpecialTokens ? specialTokenCount(isPair: second != nil) : 0
            truncation.apply(to: &first, &second, specialTokenCount: specials)
        }
        if let postProcessor {
            return postProcessor.process(first, second, addSpecialTokens: addSpecialTokens)
        }
        if var second {
            second.typeIDs = [Int](repeating: 1, count: second.count)
            first.append(contentsOf: second)
        }
        return first
    }

    /// Encodes a batch of texts or pairs, in order, on all cores; pads to a
    /// common length when `padding` is given.
    ///
    /// - Throws: `TokenizerError.invalidConfiguration` when padding is asked
    ///   for and the tokenizer has no padding token.
    public func encode(
        batch: [(text: String, pair: String?)], addSpecialTokens: Bool = true, truncation: Truncation? = nil,
        padding: Padding? = nil
    ) throws -> [Encoding] {
        var padToken: PaddingToken? = nil
        if padding != nil {
            guard let token = paddingToken else {
                throw TokenizerError.invalidConfiguration(
                    field: "pad_token", reason: "padding was requested but the tokenizer has no padding token")
            }
            padToken = token
        }
        let results = ResultSlots(count: batch.count)
        let chunk = 16
        let chunks = (batch.count + chunk - 1) / chunk
        let work: @Sendable (Int) -> Void = { c in
            for i in (c * chunk)..<Swift.min(batch.count, (c + 1) * chunk) {
                results.store(
                    self.encode(
                        batch[i].text, pair: batch[i].pair, addSpecialTokens: addSpecialTokens, truncation: truncation),
                    at: i)
            }
        }
        if chunks <= 1 {
            for c in 0..<chunks { work(c) }
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
        }
        var encodings = results.take()
        if let padding, let padToken { padding.apply(to: &encodings, token: padToken) }
        return encodings
    }

    /// Encodes a batch of single texts (see `encode(batch:addSpecialTokens:truncation:padding:)`).
    public func encode(
        batch texts: [String], addSpecialTokens: Bool = true, truncation: Truncation? = nil, padding: Padding? = nil
    ) throws -> [Encoding] {
        try encode(
            batch: texts.map { (text: $0, pair: nil) }, addSpecialTokens: addSpecialTokens, truncation: truncation,
            padding: padding)
    }

    /// The tokens of one text, without special tokens, type ids from `sequenceIndex`.
    func encodeSequence(_ text: String, sequenceIndex: Int) -> Encoding {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { scalars.append(scalar.value) }

        var pre = PreTokenizedText()
        for piece in addedVocabulary.split(scalars, with: addedVocabulary.rawTrie) {
            let original = NormalizedText(original: scalars[piece.range], offset: piece.range.lowerBound)
            if piece.token >= 0 {
                pre.append(original, addedTokenID: addedVocabulary.tokens[piece.token].id)
                continue
            }
            var normalized = original
            normalizer?.normalize(&normalized)
            if let trie = addedVocabulary.normalizedTrie {
                for part in addedVocabulary.split(normalized.scalars, with: trie) {
                    let id = part.token >= 0 ? addedVocabulary.tokens[part.token].id : -1
                    pre.append(normalized.slice(part.range), addedTokenID: id)
                }
            } else {
                pre.append(normalized)
            }
        }
        preTokenizer?.preTokenize(&pre)

        var encoding = Encoding()
        var found: [ModelToken] = []
        pre.scalars.withUnsafeBufferPointer { buffer in
            pre.alignments.withUnsafeBufferPointer { alignments in
                for (wordIndex, split) in pre.splits.enumerated() {
                    let base = split.range.lowerBound
                    if split.addedTokenID >= 0 {
                        let (start, end) = NormalizedText.originalSpan(of: split.range, in: alignments)
                        encoding.append(
                            id: split.addedTokenID, token: Self.string(buffer[split.range]), typeID: sequenceIndex,
                            offset: TextSpan(start: start, end: end), wordID: wordIndex, sequenceID: sequenceIndex,
                            special: false)
                        continue
                    }
                    found.removeAll(keepingCapacity: true)
                    model.tokenize(UnsafeBufferPointer(rebasing: buffer[split.range]), into: &found)
                    for token in found {
                        let (start, end) = NormalizedText.originalSpan(
                            of: (base + token.start)..<(base + token.end), in: alignments)
                        encoding.append(
                            id: token.id, token: token.text ?? model.token(for: token.id) ?? "",
                            typeID: sequenceIndex, offset: TextSpan(start: start, end: end), wordID: wordIndex,
                            sequenceID: sequenceIndex, special: false)
                    }
                }
            }
        }
        return encoding
    }

    static func string(_ scalars: Slice<UnsafeBufferPointer<UInt32>>) -> String {
        var view = String.UnicodeScalarView()
        for value in scalars { view.append(Unicode.Scalar(value) ?? "\u{FFFD}") }
        return String(view)
    }
}

/// Slots filled from several threads, each index by exactly one of them.
private final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Encoding>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: Swift.max(1, count))
        slots.initialize(repeating: Encoding(), count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ encoding: Encoding, at index: Int) { slots[index] = encoding }

    func take() -> [Encoding] { Array(UnsafeBufferPointer(start: slots, count: count)) }
}
