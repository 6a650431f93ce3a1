import Foundation
import Synchronization

/// What a training run reports while it runs. The CLI renders these as a
/// progress bar; the server logs them. Libraries never print.
public enum TrainingEvent: Sendable {
    /// The run starts (or resumes at `startStep`) and will take `totalSteps` optimizer steps.
    case started(totalSteps: Int, startStep: Int, examples: Int, epochs: Int)
    /// One optimizer step finished.
    case step(StepProgress)
    /// A dev evaluation finished.
    case evaluated(step: Int, epoch: Double, metrics: [String: Double], isBest: Bool)
    /// A resumable checkpoint was written.
    case checkpointSaved(step: Int, directory: URL)
    /// Early stopping ended the run.
    case earlyStopped(step: Int, bestMetric: Double)
    /// A stop request ended the run; it can resume from the checkpoint.
    case interrupted(step: Int)
    /// The run finished.
    case finished(step: Int)
}

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

/// A thread-safe request to stop a run at the next step boundary. The run then
/// writes a checkpoint it can resume from.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    /// A signal nobody has raised yet.
    public init() {}
    /// Asks the run to stop.
    public func requestStop() { flag.store(true, ordering: .relaxed) }
    /// True once a stop was requested.
    public var isStopRequested: Bool { flag.load(ordering: .relaxed) }
}
