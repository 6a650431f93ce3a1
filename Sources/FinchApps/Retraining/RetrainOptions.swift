import FinchTrain
import Foundation

/// The settings of a guarded retrain. Classifier and tagger training defaults
/// are the fine-tuning recipe's (`finch train classify`: AdamW, learning rate
/// 5e-5, batch 8) with 3 epochs over feedback plus replay; an embedder trains
/// with `contrastive` (sentence-transformers' `fit` defaults: 1 epoch, 2e-5,
/// batches of 16 pairs). The margin, hold-out, replay and seed settings are shared.
public struct RetrainOptions: Sendable, Equatable {
    /// The new version is activated only when its held-out accuracy is at most
    /// this much below the active version's (and it is better on the feedback).
    public var margin = 0.01
    public var epochs = 3
    public var learningRate = 5e-5
    public var batchSize = 8
    /// Recorded training examples replayed per feedback example (capped by what
    /// `replay.jsonl` holds), so the model keeps what it knew.
    public var replayPerFeedback = 4
    /// Share of the feedback held out to compare the versions on.
    public var feedbackHoldOutFraction = 0.2
    /// Below this many corrections nothing is held out: the versions are
    /// compared on the feedback they trained on, and the report says so.
    public var minimumFeedbackToHoldOut = 10
    /// Seed of the feedback split, the replay sample and the batch order.
    public var seed: UInt64 = 42
    /// Where new version folders go; nil: beside the active version's folder.
    public var outputRoot: URL? = nil
    /// An embedder's contrastive fine-tuning (MultipleNegativesRankingLoss); its seed is `seed`.
    public var contrastive = ContrastiveFineTuning.Settings()

    public init() {}
}
