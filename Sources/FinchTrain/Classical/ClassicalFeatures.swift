/// Where a classical classifier's features come from (`--features`).
public enum ClassicalFeatureKind: String, CaseIterable, Codable, Sendable {
    /// TF-IDF of the text (`TfidfVectorizer`).
    case tfidf
    /// Sentence embeddings of a transformer (`--embedder`).
    case embeddings
}

/// The fitted feature extractor of a classical classifier, as saved.
public enum ClassicalFeatures: Equatable, Sendable, Codable {
    /// TF-IDF with its vocabulary and idf.
    case tfidf(TfidfVectorizer)
    /// Sentence embeddings of the model in `folder` (relative to the classifier's folder), truncating at `maxLength` tokens (nil: the model's own limit).
    case embeddings(folder: String, maxLength: Int?)

    /// Which kind this is.
    public var kind: ClassicalFeatureKind {
        switch self {
        case .tfidf: .tfidf
        case .embeddings: .embeddings
        }
    }
}
