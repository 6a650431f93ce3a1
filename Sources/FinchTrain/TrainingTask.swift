import FinchNN
import FinchTensor
import Foundation

/// What the `Trainer` needs from a task (classification, NER, …): how to turn
/// a batch of examples into a loss, how to evaluate, how to save the model.
public protocol TrainingTask: AnyObject {
    /// One training example, encoded for the model.
    associatedtype Example
    /// The model being trained.
    var model: any Module { get }
    /// Sequence length of an example, for length bucketing.
    func length(of example: Example) -> Int
    /// Mean loss over a batch, recorded for backward (model in training mode).
    func loss(on batch: [Example]) throws -> Tensor
    /// Metrics on a dev set (model in eval mode; no gradients).
    func evaluate(_ examples: [Example]) throws -> Evaluation
    /// Writes the model in Hugging Face layout (and whatever else a user needs
    /// to load it: tokenizer, labels) into `directory`.
    func saveModel(to directory: URL) throws
    /// Key of the word-embedding parameter, for FGM adversarial training.
    var wordEmbeddingKey: String? { get }
    /// The metrics `evaluate` reports (nil: not known in advance), so a run
    /// asking for another fails before training.
    var reportedMetrics: [TrainingMetric]? { get }
    /// Called before each epoch's first step (also the epoch a resumed run continues), for
    /// tasks whose random augmentation is keyed by the epoch.
    func willStartEpoch(_ epoch: Int)
}

extension TrainingTask {
    /// Not known in advance: checked at the first evaluation.
    public var reportedMetrics: [TrainingMetric]? { nil }

    /// Nothing to prepare.
    public func willStartEpoch(_ epoch: Int) {}
}
