/// One step of a long job (an epoch of a fit, a pass over items, a batch of
/// an import), reported to whoever watches it: the CLI draws a progress bar,
/// the server logs it or stores it as job state. Libraries never print.
public struct ProgressEvent: Sendable, Equatable {
    /// What is being done (`"epoch"`, `"similarities"`, ...).
    public var stage: String
    /// Steps done so far (1-based once the first finished).
    public var step: Int
    /// Steps in total.
    public var stepCount: Int
    /// Seconds since the job started.
    public var elapsedSeconds: Double
    /// Figures of the step by name (`"loss"`, `"rmse"`), empty when there are none.
    public var metrics: [String: Double]

    /// An event for `step` of `stepCount` in `stage`.
    public init(stage: String, step: Int, stepCount: Int, elapsedSeconds: Double, metrics: [String: Double] = [:]) {
        self.stage = stage
        self.step = step
        self.stepCount = stepCount
        self.elapsedSeconds = elapsedSeconds
        self.metrics = metrics
    }

    /// The fraction done, in 0...1 (1 when there are no steps).
    public var fractionDone: Double {
        stepCount > 0 ? Swift.min(Swift.max(Double(step) / Double(stepCount), 0), 1) : 1
    }
}

/// What a progress observer asks the job to do next.
public enum ProgressAction: Sendable, Equatable {
    /// Keep going.
    case proceed
    /// Stop after this step.
    case stop
}

/// Called with each `ProgressEvent` of a job; returning `.stop` ends it early.
public typealias ProgressObserver = (ProgressEvent) -> ProgressAction
