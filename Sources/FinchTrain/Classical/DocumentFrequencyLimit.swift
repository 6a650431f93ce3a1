/// `min_df` / `max_df` of scikit-learn's vectorizers: a number of documents,
/// or a fraction of them (`max_df=0.5`, `min_df=2`).
public enum DocumentFrequencyLimit: Equatable, Sendable, Codable {
    /// An absolute number of documents.
    case count(Int)
    /// A fraction of the documents, in [0, 1].
    case fraction(Double)

    /// The limit as a number of documents out of `documentCount` (scikit-learn
    /// compares a fraction times the count without rounding).
    func documents(of documentCount: Int) -> Double {
        switch self {
        case .count(let n): Double(n)
        case .fraction(let f): f * Double(documentCount)
        }
    }

    /// Parses `2` (a count) or `0.5` / `1.0` (a fraction, with a decimal point), as Python tells int from float.
    public init?(parsing text: String) {
        if let n = Int(text), n >= 0 {
            self = .count(n)
        } else if let f = Double(text), text.contains(".") || text.lowercased().contains("e"), f >= 0, f <= 1 {
            self = .fraction(f)
        } else {
            return nil
        }
    }
}
