/// A classification prediction. Multi-label models set `labels` (every label
/// with probability ≥ 0.5); `label` is then the most probable one.
public struct ClassPrediction: Codable, Sendable, Equatable {
    /// The most probable label (or entity type).
    public var label: String
    /// Multi-label: every label with probability ≥ 0.5.
    public var labels: [String]?
    /// Probability of `label`.
    public var score: Double
    /// Probability of every label.
    public var scores: [String: Double]
}
