import FinchNN
import FinchTensor
import Foundation

/// Dev-set results: named metrics plus a human-readable report.
public struct Evaluation: Sendable {
    /// Metric values by name (`loss`, `accuracy`, `macro_f1`, `f1`, …).
    public var metrics: [String: Double]
    /// The report as people know it (scikit-learn or seqeval layout).
    public var report: String
    /// The results as one JSON object (`finch evaluate --json`).
    public var json: String

    public init(metrics: [String: Double], report: String, json: String = "{}") {
        self.metrics = metrics
        self.report = report
        self.json = json
    }
}

/// What the `Trainer` needs from a task (classification, NER, …): how to turn
/// a batch of examples into a loss, how to evaluate, how to save the model.
public protocol TrainingTask: AnyObject {
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
}
