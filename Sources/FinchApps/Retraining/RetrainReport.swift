import FinchSupport
import Foundation

/// One version's figures in a retrain report, in the report's metric
/// (accuracy for a classifier, entity-level F1 for a tagger, retrieval hit@1
/// for an embedder, which also reports MRR@10).
public struct VersionEvaluation: Codable, Sendable, Equatable {
    /// On the held-out set recorded with the model (nil when none is recorded).
    public var heldOut: Double?
    /// On the feedback used for the comparison (see `RetrainReport.feedbackEvaluation`).
    public var feedback: Double
    /// An embedder's mean reciprocal rank (cut at 10) on the held-out set; nil for other kinds.
    public var heldOutMRR: Double?
    /// The same on the feedback.
    public var feedbackMRR: Double?

    enum CodingKeys: String, CodingKey {
        case heldOut = "heldout", feedback
        case heldOutMRR = "heldout_mrr_at_10", feedbackMRR = "feedback_mrr_at_10"
    }

    public init(heldOut: Double?, feedback: Double, heldOutMRR: Double? = nil, feedbackMRR: Double? = nil) {
        self.heldOut = heldOut
        self.feedback = feedback
        self.heldOutMRR = heldOutMRR
        self.feedbackMRR = feedbackMRR
    }

    /// The figures by name (`heldout_accuracy`, `feedback_accuracy`, …, and an embedder's
    /// `heldout_mrr_at_10`, `feedback_mrr_at_10`), as `RetrainOutcome` carries them.
    public func metrics(_ metric: String) -> [String: Double] {
        var out = ["feedback_\(metric)": feedback]
        if let heldOut { out["heldout_\(metric)"] = heldOut }
        if let heldOutMRR { out["heldout_mrr_at_10"] = heldOutMRR }
        if let feedbackMRR { out["feedback_mrr_at_10"] = feedbackMRR }
        return out
    }
}

/// `retrain_report.json`, written beside the new version: what it was
/// trained on, both versions' evaluations, and the guard's decision.
public struct RetrainReport: Codable, Sendable, Equatable {
    public static let fileName = "retrain_report.json"

    public var model: String
    /// What `previous` and `new` measure: `accuracy` (classifiers), `f1` (taggers, entity level) or
    /// `hit_at_1` (embedders: the share of queries whose entry is retrieved first).
    public var metric: String
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
        case model, metric, path, margin, previous, new, activated, reason
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
    public static func decide(previous: VersionEvaluation, new: VersionEvaluation, metric: String, margin: Double) -> (
        activate: Bool, reason: String
    ) {
        func pct(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
        let name =
            switch metric {
            case "f1": "entity F1"
            case "hit_at_1": "retrieval hit@1"
            default: metric
            }
        guard let oldHeld = previous.heldOut, let newHeld = new.heldOut else {
            return (false, "no held-out set is recorded with the model, so a loss on it cannot be ruled out; registered inactive")
        }
        let drop = oldHeld - newHeld
        if drop > margin + 1e-12 {
            return (
                false,
                "held-out \(name) fell from \(pct(oldHeld)) to \(pct(newHeld)), more than the margin of \(pct(margin)); registered inactive"
            )
        }
        guard new.feedback > previous.feedback else {
            return (
                false, "feedback \(name) did not improve (\(pct(previous.feedback)) → \(pct(new.feedback))); registered inactive"
            )
        }
        return (
            true,
            "feedback \(name) rose from \(pct(previous.feedback)) to \(pct(new.feedback)) and held-out \(name) "
                + "went from \(pct(oldHeld)) to \(pct(newHeld)) (margin \(pct(margin))); activated"
        )
    }
}
