import Foundation

/// How a trial ended.
public enum TrialStatus: String, Codable, Sendable {
    /// Trained to its end.
    case completed
    /// The pruner stopped it early: its dev metric at a rung was not among the best.
    case pruned
    /// Training failed with an error.
    case failed
}

/// One dev evaluation of a trial.
public struct TrialEvaluation: Codable, Sendable, Equatable {
    /// The optimizer step it followed.
    public var step: Int
    /// The dev metric there.
    public var value: Double

    /// An evaluation.
    public init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
}

/// A finished trial: what it tried and how it did.
public struct TrialRecord: Codable, Sendable, Equatable {
    /// Its number, from 0 in the order trials were started.
    public var number: Int
    /// The settings it tried.
    public var parameters: TrialParameters
    /// How it ended.
    public var status: TrialStatus
    /// Its best dev metric (nil when it evaluated nothing).
    public var value: Double?
    /// Its dev evaluations in order.
    public var evaluations: [TrialEvaluation]
    /// Seconds it ran.
    public var seconds: Double
    /// Why it failed, nil unless it did.
    public var error: String?
    /// Its id in the run store, nil when not recorded.
    public var runID: Int?

    /// A trial's record.
    public init(
        number: Int, parameters: TrialParameters, status: TrialStatus, value: Double?, evaluations: [TrialEvaluation] = [],
        seconds: Double = 0, error: String? = nil, runID: Int? = nil
    ) {
        self.number = number
        self.parameters = parameters
        self.status = status
        self.value = value
        self.evaluations = evaluations
        self.seconds = seconds
        self.error = error
        self.runID = runID
    }

    enum CodingKeys: String, CodingKey {
        case number, parameters, status, value, evaluations, seconds, error
        case runID = "run_id"
    }
}
