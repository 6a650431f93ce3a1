import FinchNN
import FinchTensor
import Foundation

/// BERT with a per-token head, as Hugging Face's `BertForTokenClassification`:
/// last hidden states → dropout → `classifier` → logits [B, S, labels].
/// Keys: `bert.*` (no pooler), `classifier.weight`, `classifier.bias`.
public final class BertForTokenClassification: Module {
    public let bert: BertModel
    public let dropout: Dropout
    public let classifier: Linear
    /// Tag names in id order (`id2label`).
    public let labels: [String]
    public var isTraining = false

    public var children: [(name: String, module: any Module)] {
        [("bert", bert), ("dropout", dropout), ("classifier", classifier)]
    }

    public init(bert: BertModel, labels: [String], classifier: Linear? = nil, rng: inout FinchRNG) throws {
        (dropout, self.classifier) = try TaskHeadCheckpoint.parts(bert: bert, labels: labels, classifier: classifier, rng: &rng)
        self.bert = bert
        self.labels = labels
    }

    /// Loads a plain encoder (new head for `labels`) or a fine-tuned tagger
    /// (`labels` nil: its stored head, which must agree with `id2label`; see
    /// `StoredHead`). The pooler, which this head does not use, is dropped as
    /// Hugging Face does.
    public convenience init(contentsOf directory: URL, labels: [String]? = nil, rng: inout FinchRNG) throws {
        let (loaded, head) = try TaskHeadCheckpoint.load(directory)
        let (wanted, classifier) = try head.resolve(requested: labels)
        try self.init(bert: try loaded.withoutPooler(), labels: wanted, classifier: classifier, rng: &rng)
    }

    /// Logits [B, S, labels]; records for autodiff when training.
    public func logits(_ input: BertInput) throws -> Tensor {
        classifier(dropout(try bert(input).lastHiddenState))
    }

    /// Logits through the fast inference path.
    public func inferenceLogits(_ input: BertInput, workspace: BertWorkspace? = nil) throws -> Tensor {
        let hidden = try bert.inference(input, workspace: workspace).lastHiddenState
        return withoutGradient { classifier(hidden) }
    }

    /// Saves `config.json` and `model.safetensors` (`bert.` prefix).
    public func save(to directory: URL) throws {
        let config = TaskHeadCheckpoint.config(bert.config, architecture: "BertForTokenClassification", labels: labels)
        var state: [String: Tensor] = [:]
        for (k, v) in stateDict() where !k.contains("lora_") { state[k] = v }
        try Checkpoint.save(config: config, state: state, to: directory)
    }
}

extension BertModel {
    /// The same encoder (sharing its parameters) without the pooler.
    func withoutPooler() throws -> BertModel {
        guard pooler != nil else { return self }
        var rng = FinchRNG(seed: 0)
        let copy = try BertModel(config: config, addPoolingLayer: false, initialization: .zeros, rng: &rng)
        let state = stateDict().filter { !$0.key.hasPrefix("pooler.") }
        try copy.loadStateDict(state)
        return copy
    }

    /// The same encoder (sharing its parameters) with a new pooler, drawn as
    /// Hugging Face initializes a missing one: dense weight
    /// normal(0, initializer_range²), zero bias.
    func withNewPooler(rng: inout FinchRNG) throws -> BertModel {
        var initializer = BertInitializer(config: config, mode: .random, rng: rng)
        let dense = initializer.linear(config.hiddenSize, config.hiddenSize)
        rng = initializer.rng
        var scratch = FinchRNG(seed: 0)
        let copy = try BertModel(config: config, addPoolingLayer: true, initialization: .zeros, rng: &scratch)
        var state = stateDict().filter { !$0.key.hasPrefix("pooler.") }
        state["pooler.dense.weight"] = dense.weight.value
        state["pooler.dense.bias"] = dense.bias?.value
        try copy.loadStateDict(state)
        return copy
    }
}
