import Foundation

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
