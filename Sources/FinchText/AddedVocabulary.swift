/// A token matched in the text before the model runs (`[CLS]`, `<mask>`,
/// user-added words), as listed in `tokenizer.json`'s `added_tokens`.
public struct AddedToken: Hashable, Sendable {
    /// Its id.
    public var id: Int
    /// The text that is matched.
    public var content: String
    /// Match only when not inside a word.
    public var singleWord: Bool
    /// Absorb whitespace on its left.
    public var leftStrip: Bool
    /// Absorb whitespace on its right.
    public var rightStrip: Bool
    /// Matched in normalized text (true) or in the raw input (false).
    public var normalized: Bool
    /// A special token (`[CLS]`, `</s>`).
    public var special: Bool

    /// An added token.
    public init(
        id: Int, content: String, singleWord: Bool = false, leftStrip: Bool = false, rightStrip: Bool = false,
        normalized: Bool = false, special: Bool = true
    ) {
        self.id = id
        self.content = content
        self.singleWord = singleWord
        self.leftStrip = leftStrip
        self.rightStrip = rightStrip
        self.normalized = normalized
        self.special = special
    }
}

/// Finds added tokens in text (`tokenizers`' `AddedVocabulary`): leftmost-
/// longest, non-overlapping matches; tokens with `normalized == false` are
/// searched in the raw input, the others in each normalized piece.
struct AddedVocabulary: Sendable {
    let tokens: [AddedToken]
    /// Contents of non-normalized tokens → index in `tokens`.
    let rawTrie: ScalarTrie?
    /// (Normalized) contents of normalized tokens → index in `tokens`.
    let normalizedTrie: ScalarTrie?

    /// Builds the matchers; `normalizer` turns normalized tokens' contents
    /// into the form they take in normalized text.
    init(tokens: [AddedToken], normalizer: Normalizer?) {
        self.tokens = tokens
        var rawKeys: [[UInt32]] = []
        var rawValues: [Int] = []
        var normalizedKeys: [[UInt32]] = []
        var normalizedValues: [Int] = []
        for (index, token) in tokens.enumerated() where !token.content.isEmpty {
            var content = NormalizedText(original: token.content.unicodeScalars.map(\.value), offset: 0)
            if token.normalized {
                normalizer?.normalize(&content)
                normalizedKeys.append(content.scalars)
                normalizedValues.append(index)
            } else {
                rawKeys.append(content.scalars)
                rawValues.append(index)
            }
        }
        rawTrie = rawKeys.isEmpty ? nil : ScalarTrie(keys: rawKeys, values: rawValues)
        normalizedTrie = normalizedKeys.isEmpty ? nil : ScalarTrie(keys: normalizedKeys, values: normalizedValues)
    }

    /// A piece of text between matches, or a match.
    struct Piece {
        var range: Range<Int>
        /// Index into `tokens`, or -1 for plain text.
        var token: Int
    }

    /// Cuts `scalars` into plain pieces and added-token matches (with their
    /// absorbed whitespace), covering the whole text.
    func split(_ scalars: [UInt32], with trie: ScalarTrie?) -> [Piece] {
        let n = scalars.count
        guard let trie, n > 0 else { return n == 0 ? [] : [Piece(range: 0..<n, token: -1)] }
        let classes = CharacterClasses.shared
        var pieces: [Piece] = []
        var plainStart = 0
        scalars.withUnsafeBufferPointer { text in
            var i = 0
            while i < n {
                guard let match = trie.longestPrefix(of: text, from: i, to: n) else {
                    i += 1
                    continue
                }
                let token = tokens[match.value]
                var start = i
                var stop = match.end
                i = match.end
                if token.singleWord {
                    let startsWord = start > 0 && Self.isWordCharacter(text[start - 1])
                    let endsWord = stop < n && Self.isWordCharacter(text[stop])
                    if startsWord || endsWord { continue }
                }
                if token.leftStrip {
                    var s = start
                    while s > plainStart && classes.isWhitespace(text[s - 1]) { s -= 1 }
                    start = s
                }
                if token.rightStrip {
                    while stop < n && classes.isWhitespace(text[stop]) { stop += 1 }
                    i = stop
                }
                if plainStart < start { pieces.append(Piece(range: plainStart..<start, token: -1)) }
                pieces.append(Piece(range: start..<stop, token: match.value))
                plainStart = stop
            }
        }
        if plainStart < n { pieces.append(Piece(range: plainStart..<n, token: -1)) }
        return pieces
    }

    /// Rust regex `\w`: alphabetic, marks, decimal digits, connector
    /// punctuation, join controls.
    static func isWordCharacter(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }
}
