/// Progress of one optimizer step.
public struct StepProgress: Sendable, Equatable {
    /// Optimizer steps done.
    public var step: Int
    /// Optimizer steps of the whole run.
    public var totalSteps: Int
    /// Epochs done, fractional.
    public var epoch: Double
    /// Mean training loss since the last logged step.
    public var loss: Double
    /// The learning rate of this step.
    public var learningRate: Double
    /// Global gradient norm before clipping (nil without clipping).
    public var gradientNorm: Double?
    /// Steps per second since the run (or the resume) started.
    public var stepsPerSecond: Double
    /// Seconds left at the current pace.
    public var secondsRemaining: Double
}
