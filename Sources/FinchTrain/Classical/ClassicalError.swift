/// Why a classical model (TF-IDF, logistic regression, linear SVM, kNN,
/// ridge) cannot be fitted, used, saved or loaded.
public enum ClassicalError: Error, CustomStringConvertible, Equatable {
    /// A setting is out of its range (named as in scikit-learn).
    case invalidSetting(name: String, reason: String)
    /// Fitting found no terms: every document is empty after analysis, or
    /// `min_df` / `max_df` / `max_features` pruned them all.
    case emptyVocabulary(reason: String)
    /// The features' width differs from what the model was fitted on.
    case featureCountMismatch(expected: Int, found: Int)
    /// Fitting needs examples and at least two labels.
    case notEnoughData(String)
    /// A linear system of the closed-form fit is singular (ridge with alpha 0 on collinear features).
    case singularSystem(reason: String)
    /// A saved model file cannot be used; `reason` says why.
    case invalidModelFile(path: String, reason: String)

    /// One line a person can act on.
    public var description: String {
        switch self {
        case let .invalidSetting(name, reason): return "invalid \(name): \(reason)"
        case .emptyVocabulary(let reason): return "empty vocabulary: \(reason)"
        case let .featureCountMismatch(expected, found):
            return "the model expects \(expected) features per example, got \(found)"
        case .notEnoughData(let reason): return reason
        case .singularSystem(let reason): return "cannot solve the normal equations: \(reason)"
        case let .invalidModelFile(path, reason): return "\(path): \(reason)"
        }
    }
}
