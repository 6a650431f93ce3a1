/// How a prediction is explained.
public enum ExplanationMethod: String, Codable, Sendable, CaseIterable {
    /// Integrated gradients over the word embeddings (`IntegratedGradients`).
    case ig
    /// Leave-one-word-out occlusion (`Occlusion`).
    case occlusion
}

/// What replaces an occluded word's tokens.
public enum OcclusionToken: String, Codable, Sendable, CaseIterable {
    /// The tokenizer's mask token ([MASK] or <mask>); [PAD] when it has none.
    case mask
    /// The padding token.
    case pad
}

/// The attribution of one word of the input.
public struct WordAttribution: Codable, Sendable, Equatable {
    /// The word as written in the input.
    public var word: String
    /// Offset of its first Unicode scalar in its text.
    public var start: Int
    /// Offset just past its last Unicode scalar.
    public var end: Int
    /// The sum of its tokens' attributions.
    public var attribution: Double
    /// For a sentence pair: 0 for a word of the text, 1 for one of the pair (offsets are into that text); nil otherwise.
    public var segment: Int?

    /// A word's attribution.
    public init(word: String, start: Int, end: Int, attribution: Double, segment: Int? = nil) {
        self.word = word
        self.start = start
        self.end = end
        self.attribution = attribution
        self.segment = segment
    }
}

/// The attribution of a special token ([CLS], [SEP]), reported apart from the words.
public struct SpecialTokenAttribution: Codable, Sendable, Equatable {
    /// The token as the vocabulary spells it.
    public var token: String
    /// Its position in the model's input.
    public var position: Int
    /// Its attribution.
    public var attribution: Double
}

/// The span a tagger explanation is about.
public struct ExplainedEntity: Codable, Sendable, Equatable {
    /// The entity as written.
    public var text: String
    /// Offset of its first Unicode scalar.
    public var start: Int
    /// Offset just past its last Unicode scalar.
    public var end: Int
}

/// One explained prediction: a classifier's class, or one entity a tagger found.
///
/// JSON: `{"label", "score", "method", "attributions": [{"word", "start", "end",
/// "attribution"}], "special": [{"token", "position", "attribution"}], "delta"}`,
/// plus `"entity"` for a tagger, `"steps"` and `"baseline"` for integrated
/// gradients, `"occluder"` for occlusion. `delta` (integrated gradients only)
/// is Σ attributions (words and special tokens) − (F(input) − F(baseline)).
public struct Explanation: Codable, Sendable, Equatable {
    /// The explained class (or entity type).
    public var label: String
    /// The model's probability of it (a tagger: the entity's mean word-tag probability).
    public var score: Double
    /// The method that produced the attributions.
    public var method: ExplanationMethod
    /// Per word, in input order.
    public var attributions: [WordAttribution]
    /// Per special token (integrated gradients; empty for occlusion, which leaves them in place).
    public var special: [SpecialTokenAttribution]
    /// The completeness gap of integrated gradients; nil for occlusion.
    public var delta: Double?
    /// The explained F at the input (a probability, logit or summed logits).
    public var output: Double
    /// A tagger's entity.
    public var entity: ExplainedEntity?
    /// Integrated gradients: quadrature points.
    public var steps: Int?
    /// Integrated gradients: the baseline.
    public var baseline: AttributionBaseline?
    /// Occlusion: the token that replaced each word.
    public var occluder: String?
}
