/// The three features of the hybrid ranking of item i for user u:
///
/// - `collaborative`: the factor (or neighbour) model's score of i for u;
/// - `text`: cos(e_i, p_u), the item's text embedding against the user's
///   `TextInterest` profile (0 when either is missing);
/// - `popularity`: log(1 + n_i) / log(1 + max_j n_j), n_i = events on i.
public enum HybridFeature: String, Sendable, CaseIterable, Codable {
    /// The collaborative model's score.
    case collaborative
    /// Cosine to the user's text-interest profile.
    case text
    /// Log-scaled popularity.
    case popularity
}

/// The learnt blend of the hybrid features: a logistic model on standardized
/// features, score = b + Σ_k w_k (f_k − mean_k) / scale_k. Ranking uses the
/// score (the logit); `term` gives one feature's share of it, which is the
/// contribution an explanation reports.
public struct HybridWeights: Sendable, Equatable, Codable {
    /// w per feature, in `HybridFeature.allCases` order.
    public var weights: [Float]
    /// The intercept b.
    public var intercept: Float
    /// Feature means on the fitting sample.
    public var means: [Float]
    /// Feature standard deviations on the fitting sample (1 where 0).
    public var scales: [Float]

    /// Creates weights (three of each).
    public init(weights: [Float], intercept: Float, means: [Float] = [0, 0, 0], scales: [Float] = [1, 1, 1]) {
        precondition(weights.count == 3 && means.count == 3 && scales.count == 3)
        self.weights = weights
        self.intercept = intercept
        self.means = means
        self.scales = scales
    }

    /// Only the collaborative score, unscaled: ranks exactly as the model alone.
    public static let collaborativeOnly = HybridWeights(weights: [1, 0, 0], intercept: 0)

    /// The weight of `feature` (per standard deviation of the feature).
    public func weight(_ feature: HybridFeature) -> Float { weights[index(feature)] }

    /// w_k (f − mean_k) / scale_k.
    @inline(__always)
    public func term(_ feature: HybridFeature, _ value: Float) -> Float {
        let k = index(feature)
        return weights[k] * (value - means[k]) / scales[k]
    }

    /// The score of one item's features.
    @inline(__always)
    public func score(collaborative: Float, text: Float, popularity: Float) -> Float {
        intercept + term(.collaborative, collaborative) + term(.text, text) + term(.popularity, popularity)
    }

    private func index(_ feature: HybridFeature) -> Int {
        switch feature {
        case .collaborative: return 0
        case .text: return 1
        case .popularity: return 2
        }
    }
}
