/// How often the trainer evaluates on the dev set.
public enum EvaluationStrategy: Codable, Sendable, Equatable {
    /// Never (no dev set).
    case no
    /// After every epoch.
    case epoch
    /// Every N optimizer steps (and at the end).
    case steps(Int)
}
