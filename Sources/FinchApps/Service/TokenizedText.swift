import FinchText

/// A text cut to a model's maximum length, with the fact of the cut.
public struct TokenizedText: Sendable {
    public var encoding: Encoding
    /// True when tokens were dropped to fit the maximum length.
    public var truncated: Bool

    /// Encodes `text` (and `pair`) with `tokenizer`, truncating to `maxLength` tokens.
    public init(_ text: String, pair: String? = nil, tokenizer: Tokenizer, maxLength: Int) {
        let full = tokenizer.encode(text, pair: pair)
        if full.count <= maxLength {
            encoding = full
            truncated = false
        } else {
            encoding = tokenizer.encode(text, pair: pair, truncation: Truncation(maxLength: maxLength))
            truncated = true
        }
    }
}
