/// What a finished (or stopped) run reports.
public struct TrainingSummary: Sendable {
    /// Optimizer steps done, in this run and any it resumed.
    public var steps: Int
    /// The best development metric seen (nil without a development set).
    public var bestMetric: Double?
    /// The step of the best evaluation.
    public var bestStep: Int?
    /// The last evaluation on the development set.
    public var lastEvaluation: Evaluation?
    /// True when early stopping ended the run.
    public var stoppedEarly: Bool
    /// True when a stop request ended the run; it can resume from its checkpoint.
    public var interrupted: Bool
}
