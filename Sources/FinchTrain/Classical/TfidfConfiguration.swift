/// The settings of `TfidfVectorizer`, named and defaulted as scikit-learn's
/// `TfidfVectorizer` (lowercase, `norm='l2'`, `use_idf=True`, `smooth_idf=True`).
public struct TfidfConfiguration: Equatable, Sendable, Codable {
    /// Word or character n-grams (`analyzer`).
    public var analyzer: TextAnalyzer = .word
    /// Smallest n of the n-grams (`ngram_range[0]`).
    public var ngramMin = 1
    /// Largest n of the n-grams (`ngram_range[1]`).
    public var ngramMax = 1
    /// Terms in fewer documents are dropped (`min_df`, default 1).
    public var minDF: DocumentFrequencyLimit = .count(1)
    /// Terms in more documents are dropped (`max_df`, default 1.0).
    public var maxDF: DocumentFrequencyLimit = .fraction(1.0)
    /// Keep only this many terms, the most frequent over the corpus (`max_features`).
    public var maxFeatures: Int?
    /// Use `1 + ln(tf)` instead of the raw count (`sublinear_tf`).
    public var sublinearTF = false
    /// Add one to document frequencies as if one document held every term (`smooth_idf`).
    public var smoothIDF = true
    /// Scale each row to unit Euclidean length (`norm='l2'`); off: no normalization.
    public var normalize = true

    /// scikit-learn's defaults.
    public init() {}

    /// Checks the ranges (n-grams from 1, limits in range, max features ≥ 1);
    /// throws `ClassicalError.invalidSetting`.
    public func validate() throws {
        guard ngramMin >= 1 && ngramMin <= ngramMax else {
            throw ClassicalError.invalidSetting(name: "ngram_range", reason: "needs 1 ≤ min ≤ max, got (\(ngramMin), \(ngramMax))")
        }
        for (name, limit) in [("min_df", minDF), ("max_df", maxDF)] {
            switch limit {
            case .count(let n) where n < 0:
                throw ClassicalError.invalidSetting(name: name, reason: "a document count must be ≥ 0, got \(n)")
            case .fraction(let f) where !(f >= 0 && f <= 1):
                throw ClassicalError.invalidSetting(name: name, reason: "a fraction must be in [0, 1], got \(f)")
            default: break
            }
        }
        if let m = maxFeatures, m < 1 {
            throw ClassicalError.invalidSetting(name: "max_features", reason: "must be ≥ 1, got \(m)")
        }
    }
}
