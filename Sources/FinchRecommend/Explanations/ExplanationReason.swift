/// What kind of evidence a reason is.
public enum ReasonKind: String, Sendable, Codable, CaseIterable {
    /// "because you rated X highly": a liked history item that supports the
    /// recommendation in the collaborative model (item-KNN neighbour share or
    /// factor cosine).
    case ratedHighly = "rated_highly"
    /// "similar to what you read about X": the item's text is close to the
    /// user's text-interest profile, through the liked items named.
    case similarText = "similar_text"
    /// "popular in Category": popularity, within a category the user touched.
    case popularInCategory = "popular_in_category"
    /// "popular with everyone": popularity, no category in common.
    case popular
}

/// A reason a person can read, with the items of their history it rests on
/// and its contribution to the item's score.
///
/// Contributions are in the units of the score: for a hybrid, each
/// feature's term w_k (f_k − mean_k)/scale_k (the collaborative term is split
/// over the named items in proportion to their support); for the fallbacks,
/// the popularity feature.
public struct ExplanationReason: Sendable, Equatable, Codable {
    /// The kind.
    public var kind: ReasonKind
    /// The sentence ("because you rated Heat highly").
    public var text: String
    /// The ids of the user's history items it names.
    public var items: [String]
    /// The category, for popularity reasons.
    public var category: String?
    /// Its share of the score.
    public var contribution: Float

    /// Creates a reason.
    public init(kind: ReasonKind, text: String, items: [String], category: String?, contribution: Float) {
        self.kind = kind
        self.text = text
        self.items = items
        self.category = category
        self.contribution = contribution
    }
}
