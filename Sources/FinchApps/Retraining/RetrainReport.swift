import FinchSupport
import Foundation

/// One version's figures in a retrain report.
public struct VersionEvaluation: Codable, Sendable, Equatable {
    /// Accuracy on the held-out set recorded with the model (nil when none is recorded).
    public var heldOutAccuracy: Double?
    /// Accuracy on the feedback used for the comparison (see `RetrainReport.feedbackEvaluation`).
    public var feedbackAccuracy: Double

    enum CodingKeys: String, CodingKey {
        case heldOutAccuracy = "heldout_accuracy", feedbackAccuracy = "feedback_accuracy"
    }

    public init(heldOutAccuracy: Double?, feedbackAccuracy: Double) {
        self.heldOutAccuracy = heldOutAccuracy
        self.feedbackAccuracy = feedbackAccuracy
    }

    /// The figures by name, as `RetrainOutcome` carries them.
    public var metrics: [String: Double] {
        var out = ["feedback_accuracy": feedbackAccuracy]
        if let heldOutAccuracy { out["heldout_accuracy"] = heldOutAccuracy }
        return out
    }
}

/// `retrain_report.json`, written beside the new version: what it was
/// trained on, both versions' evaluations, and the guard's decision.
public struct RetrainReport: Codable, Sendable, Equatable {
    public static let fileName = "retrain_report.json"

    public var model: String
    public var previousVersion: Int
    public var previousPath: String
    /// Nil until the version is registered.
    public var newVersion: Int?
    public var path: String
    public var margin: Double
    /// Corrections used (latest per input) and how they were split.
    public var feedbackExamples: Int
    public var feedbackTrained: Int
    public var feedbackHeldOut: Int
    /// Which feedback the comparison used: "held-out feedback" or "the training feedback (…)".
    public var feedbackEvaluation: String
    public var replayExamples: Int
    public var heldOutExamples: Int
    public var previous: VersionEvaluation
    public var new: VersionEvaluation
    public var activated: Bool
    public var reason: String
    public var trainingSeconds: Double
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case model, path, margin, previous, new, activated, reason
        case previousVersion = "previous_version", previousPath = "previous_path", newVersion = "new_version"
        case feedbackExamples = "feedback_examples", feedbackTrained = "feedback_trained", feedbackHeldOut = "feedback_held_out"
        case feedbackEvaluation = "feedback_evaluation", replayExamples = "replay_examples", heldOutExamples = "held_out_examples"
        case trainingSeconds = "training_seconds", createdAt = "created_at"
    }

    /// Writes the report into `directory` (atomically).
    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(encoder.encode(self), to: directory.appendingPathComponent(Self.fileName))
    }

    /// The report in `directory`, or nil when there is none.
    public static func read(from directory: URL) throws -> RetrainReport? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RetrainReport.self, from: Data(contentsOf: url))
    }
}

/// The guard: activate only when the new version is not worse on the held-out
/// set by more than `margin` and better on the feedback.
public enum RetrainGuard {
    /// Whether to activate, and a sentence saying why (not).
    public static func decide(previous: VersionEvaluation, new: VersionEvaluation, margin: Double) -> (activate: Bool, reason: String) {
        func pct(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
        guard let oldHeld = previous.heldOutAccuracy, let newHeld = new.heldOutAccuracy else {
            return (false, "no held-out set is recorded with the model, so a loss on it cannot be ruled out; registered inactive")
        }
        let drop = oldHeld - newHeld
        if drop > margin + 1e-12 {
            return (
                false,
                "held-out accuracy fell from \(pct(oldHeld)) to \(pct(newHeld)), more than the margin of \(pct(margin)); registered inactive"
            )
        }
        guard new.feedbackAccuracy > previous.feedbackAccuracy else {
            return (
                false,
                "feedback accuracy did not improve (\(pct(previous.feedbackAccuracy)) → \(pct(new.feedbackAccuracy))); registered inactive"
            )
        }
        return (
            true,
            "feedback accuracy rose from \(pct(previous.feedbackAccuracy)) to \(pct(new.feedbackAccuracy)) and held-out accuracy "
                + "went from \(pct(oldHeld)) to \(pct(newHeld)) (margin \(pct(margin))); activated"
        )
    }
}
