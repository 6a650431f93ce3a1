/// The span of a token in the text it came from: `start..<end` in Unicode
/// scalar offsets (what Python's `str` indexes, and what Hugging Face
/// tokenizers report as character offsets). Special and padding tokens have
/// `(0, 0)`. Tokens of the second text of a pair are relative to that text.
public struct TextSpan: Hashable, Sendable, CustomStringConvertible {
    /// First scalar offset covered.
    public var start: Int
    /// One past the last scalar offset covered.
    public var end: Int

    /// A span `start..<end`.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The empty span of special and padding tokens.
    public static let none = TextSpan(start: 0, end: 0)

    /// `(start, end)`.
    public var description: String { "(\(start), \(end))" }
}

/// A tokenized input, ready for a model: parallel arrays with one entry per
/// token, in the layout of Hugging Face's `Encoding`.
///
/// Invariant: all arrays have `count` elements.
public struct Encoding: Hashable, Sendable {
    /// Token ids (`input_ids`).
    public var ids: [Int]
    /// Token strings as the vocabulary spells them (`##` pieces, `▁` for spaces).
    public var tokens: [String]
    /// Segment of each token (`token_type_ids`): 0 for the first text, 1 for
    /// the second in BERT pairs, as the post-processor's template says.
    public var typeIDs: [Int]
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int]
    /// 1 for tokens added by the post-processor (`[CLS]`, `</s>`) and padding.
    public var specialTokensMask: [Int]
    /// Where each token comes from in its text (see `TextSpan`).
    public var offsets: [TextSpan]
    /// Index of the pre-tokenizer word each token belongs to, within its own
    /// text; nil for special and padding tokens.
    public var wordIDs: [Int?]
    /// Which text each token belongs to: 0 or 1, nil for special and padding tokens.
    public var sequenceIDs: [Int?]

    /// An empty encoding.
    public init() {
        ids = []
        tokens = []
        typeIDs = []
        attentionMask = []
        specialTokensMask = []
        offsets = []
        wordIDs = []
        sequenceIDs = []
    }

    /// Number of tokens.
    public var count: Int { ids.count }

    /// Keeps the first `length` tokens (no-op when already shorter).
    public mutating func truncate(to length: Int) {
        guard length < count else { return }
        let n = Swift.max(0, length)
        ids.removeSubrange(n...)
        tokens.removeSubrange(n...)
        typeIDs.removeSubrange(n...)
        attentionMask.removeSubrange(n...)
        specialTokensMask.removeSubrange(n...)
        offsets.removeSubrange(n...)
        wordIDs.removeSubrange(n...)
        sequenceIDs.removeSubrange(n...)
    }

    /// Appends one token.
    mutating func append(
        id: Int, token: String, typeID: Int, offset: TextSpan, wordID: Int?, sequenceID: Int?, special: Bool,
        attention: Int = 1
    ) {
        ids.append(id)
        tokens.append(token)
        typeIDs.append(typeID)
        attentionMask.append(attention)
        specialTokensMask.append(special ? 1 : 0)
        offsets.append(offset)
        wordIDs.append(wordID)
        sequenceIDs.append(sequenceID)
    }

    /// Appends all tokens of `other`.
    mutating func append(contentsOf other: Encoding) {
        ids += other.ids
        tokens += other.tokens
        typeIDs += other.typeIDs
        attentionMask += other.attentionMask
        specialTokensMask += other.specialTokensMask
        offsets += other.offsets
        wordIDs += other.wordIDs
        sequenceIDs += other.sequenceIDs
    }

    /// Pads to `length` tokens with `padding`'s token (no-op when already as long).
    public mutating func pad(to length: Int, with padding: PaddingToken, side: PaddingSide = .right) {
        let missing = length - count
        guard missing > 0 else { return }
        var pad = Encoding()
        for _ in 0..<missing {
            pad.append(
                id: padding.id, token: padding.token, typeID: padding.typeID, offset: .none, wordID: nil,
                sequenceID: nil, special: true, attention: 0)
        }
        if side == .right {
            append(contentsOf: pad)
        } else {
            pad.append(contentsOf: self)
            self = pad
        }
    }
}

/// The token used for padding.
public struct PaddingToken: Hashable, Sendable {
    /// Its id (`pad_token_id`).
    public var id: Int
    /// Its string (`[PAD]`, `<pad>`).
    public var token: String
    /// Its type id (`pad_token_type_id`, 0 for BERT).
    public var typeID: Int

    /// A padding token.
    public init(id: Int, token: String, typeID: Int = 0) {
        self.id = id
        self.token = token
        self.typeID = typeID
    }
}

/// Which end padding goes to.
public enum PaddingSide: String, Sendable, Codable {
    /// Padding before the tokens.
    case left
    /// Padding after the tokens (the default).
    case right
}
