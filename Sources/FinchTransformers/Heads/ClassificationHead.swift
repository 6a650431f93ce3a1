import FinchNN
import FinchTensor
import Foundation

/// Whether a sequence classifier picks one label (softmax) or any subset
/// (independent sigmoids), as Hugging Face's `problem_type`.
public enum ProblemType: String, Codable, Sendable {
    case singleLabelClassification = "single_label_classification"
    case multiLabelClassification = "multi_label_classification"
}

/// Shared by the BERT task heads: loading a base or fine-tuned checkpoint,
/// label maps in `config.json`, saving under the `bert.` prefix.
enum TaskHeadCheckpoint {
    /// Labels stored in a config's `id2label`, in id order; nil when absent or
    /// only the default `LABEL_0…` names.
    static func labels(in config: BertConfig) -> [String]? {
        guard let map = config.id2label, !map.isEmpty else { return nil }
        let sorted = map.compactMap { k, v in Int(k).map { ($0, v) } }.sorted { $0.0 < $1.0 }
        guard sorted.map(\.0) == Array(0..<sorted.count) else { return nil }
        let names = sorted.map(\.1)
        if names == (0..<names.count).map({ "LABEL_\($0)" }) { return nil }
        return names
    }

    /// A classifier layer as Hugging Face initializes it: N(0, range²) weights, zero bias.
    static func newClassifier(hidden: Int, labels: Int, config: BertConfig, rng: inout FinchRNG) -> Linear {
        let w = Tensor.randomNormal([labels, hidden], std: Float(config.initializerRange), rng: &rng)
        return Linear(weight: w, bias: Tensor.zeros([labels]))
    }

    /// The dropout and classifier layers of a head for `labels` (which must be
    /// non-empty and distinct); `classifier` nil draws a new one.
    static func parts(bert: BertModel, labels: [String], classifier: Linear?, rng: inout FinchRNG) throws -> (Dropout, Linear) {
        guard !labels.isEmpty else { throw TaskHeadError.noLabels }
        if let d = Dictionary(grouping: labels, by: { $0 }).first(where: { $0.value.count > 1 }) {
            throw TaskHeadError.duplicateLabel(d.key)
        }
        let p = bert.config.classifierDropout ?? bert.config.hiddenDropoutProb
        let dropout = Dropout(probability: Float(p), rng: &rng)
        return (dropout, classifier ?? newClassifier(hidden: bert.config.hiddenSize, labels: labels.count, config: bert.config, rng: &rng))
    }

    /// `config` with the head's architecture and label maps set.
    static func config(_ base: BertConfig, architecture: String, labels: [String]) -> BertConfig {
        var c = base
        c.architectures = [architecture]
        c.id2label = Dictionary(uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) })
        c.label2id = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.element, $0.offset) })
        return c
    }

    /// Loads a directory for a head: the encoder (bare keys or `bert.`) and
    /// the stored head, checked against `config.json` (see `StoredHead`).
    static func load(_ directory: URL) throws -> (BertModel, StoredHead) {
        let config = try Checkpoint.readConfig(BertConfig.self, from: directory)
        let file = try Checkpoint.openWeights(in: directory)
        let head = try StoredHead(
            file: file, config: config, configPath: directory.appendingPathComponent(Checkpoint.configFileName).path)
        let bert = try BertModel(contentsOf: directory, options: .bert(ignoringKeyPrefixes: ["classifier.", "cls.", "qa_outputs."]))
        return (bert, head)
    }
}

/// A BERT model with a task head: what fine-tuning and prediction need of it.
public protocol BertTaskHead: Module {
    /// Logits through differentiable ops (records for autodiff when training).
    func logits(_ input: BertInput) throws -> Tensor
    /// Logits through the fast inference path (no autodiff, no dropout).
    func inferenceLogits(_ input: BertInput, workspace: BertWorkspace?) throws -> Tensor
    /// Saves the head in Hugging Face layout.
    func save(to directory: URL) throws
}

extension BertForSequenceClassification: BertTaskHead {}
extension BertForTokenClassification: BertTaskHead {}

/// Head problems a user can cause.
public enum TaskHeadError: Error, CustomStringConvertible, Equatable {
    case noLabels
    case duplicateLabel(String)
    /// A fine-tuned classifier that uses BERT's pooler lacks its weights (`tensor`).
    case missingPooler(path: String)
    /// The head's `tensor` has `shape`, which disagrees with the config's `configKey`.
    case headMismatch(path: String, tensor: String, shape: [Int], configKey: String, expected: String)
    /// The stored head was asked for, and the weights file has no `tensor`; `declared` says what the config claims.
    case missingHead(path: String, tensor: String, declared: String)
    /// Only one of `classifier.weight` and `classifier.bias` is stored.
    case incompleteHead(path: String, missing: String)
    /// `id2label` in `config.json` does not number its labels 0…count−1.
    case invalidLabelMap(path: String, key: String, count: Int)

    public var description: String {
        switch self {
        case .noLabels: return "a classifier needs at least one label"
        case .duplicateLabel(let l): return "label \(l) appears twice"
        case .missingPooler(let p):
            return "\(p): no tensor `bert.pooler.dense.weight`: this fine-tuned classifier reads BERT's pooler, "
                + "which the checkpoint lacks"
        case let .headMismatch(path, tensor, shape, key, expected):
            return "\(path): tensor `\(tensor)` has shape \(shape), but config.json `\(key)` calls for \(expected)"
        case let .missingHead(path, tensor, declared):
            return "\(path): no tensor `\(tensor)`, so there is no trained head to use (\(declared)); "
                + "a fine-tuned model folder must hold its head"
        case let .incompleteHead(path, missing):
            return "\(path): no tensor `\(missing)`, while the rest of the head is stored"
        case let .invalidLabelMap(path, key, count):
            return "\(path): `id2label` key \"\(key)\" is not one of the ids 0…\(count - 1)"
        }
    }
}
