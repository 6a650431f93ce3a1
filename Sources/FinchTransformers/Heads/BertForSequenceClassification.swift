import FinchNN
import FinchTensor
import Foundation

/// BERT with a sequence-level head, as Hugging Face's
/// `BertForSequenceClassification`: pooled output → dropout → `classifier`
/// linear layer → logits [B, labels]. Keys: `bert.*`, `classifier.weight`,
/// `classifier.bias`, so checkpoints load in both directions. The pooled
/// output is BERT's pooler by default (see `ClassifierPooling`).
public final class BertForSequenceClassification: Module {
    public let bert: BertModel
    public let dropout: Dropout
    public let classifier: Linear
    /// Label names in id order (`id2label`).
    public let labels: [String]
    public var problemType: ProblemType
    /// What `classifier` reads.
    public let pooling: ClassifierPooling
    /// True when the checkpoint had no pooler and this head drew a new one
    /// (normal(0, initializer_range²) weight, zero bias, as `transformers`
    /// initializes a missing pooler); it is recorded in the saved `config.json`.
    public let initializedPooler: Bool
    public var isTraining = false

    public var children: [(name: String, module: any Module)] {
        [("bert", bert), ("dropout", dropout), ("classifier", classifier)]
    }

    /// A head on `bert` for `labels`, newly initialized unless `classifier` is
    /// given. `.pooler` needs `bert` to have a pooler; the other poolings use
    /// none (give `bert` without one).
    public convenience init(
        bert: BertModel, labels: [String], problemType: ProblemType = .singleLabelClassification,
        pooling: ClassifierPooling = .pooler, classifier: Linear? = nil, rng: inout FinchRNG
    ) throws {
        try self.init(
            bert: bert, labels: labels, problemType: problemType, pooling: pooling, classifier: classifier,
            initializedPooler: false, rng: &rng)
    }

    private init(
        bert: BertModel, labels: [String], problemType: ProblemType, pooling: ClassifierPooling, classifier: Linear?,
        initializedPooler: Bool, rng: inout FinchRNG
    ) throws {
        if pooling == .pooler && bert.pooler == nil { throw TaskHeadError.missingPooler(path: "model") }
        (dropout, self.classifier) = try TaskHeadCheckpoint.parts(bert: bert, labels: labels, classifier: classifier, rng: &rng)
        self.bert = bert
        self.labels = labels
        self.problemType = problemType
        self.pooling = pooling
        self.initializedPooler = initializedPooler
    }

    /// Loads a directory in Hugging Face layout: a plain encoder (a new head
    /// for `labels`) or a fine-tuned classifier (its head is kept when its
    /// labels equal `labels`, or when `labels` is nil; then it must agree
    /// with `id2label`, see `StoredHead`). `pooling` nil means the folder's own
    /// (`ClassifierPooling.configKey`), else `.pooler`. A new head reading the
    /// pooler on a checkpoint without one gets a new pooler, drawn from `rng`
    /// before the classifier; a stored head never does.
    public convenience init(
        contentsOf directory: URL, labels: [String]? = nil, pooling: ClassifierPooling? = nil,
        rng: inout FinchRNG
    ) throws {
        let (loaded, head) = try TaskHeadCheckpoint.load(directory)
        let (wanted, classifier) = try head.resolve(requested: labels)
        let config = try Checkpoint.readConfig(BertConfig.self, from: directory)
        let stored = config.otherKeys[ClassifierPooling.configKey].flatMap { value -> ClassifierPooling? in
            if case .string(let s) = value { ClassifierPooling(rawValue: s) } else { nil }
        }
        let chosen = pooling ?? stored ?? .pooler
        var bert = loaded
        var initialized = false
        switch (chosen, loaded.pooler) {
        case (.pooler, nil):
            guard classifier == nil else { throw TaskHeadError.missingPooler(path: head.weightsPath) }
            bert = try loaded.withNewPooler(rng: &rng)
            initialized = true
        case (.cls, _?), (.mean, _?):
            bert = try loaded.withoutPooler()
        default:
            break
        }
        let problem = config.otherKeys["problem_type"].flatMap { if case .string(let s) = $0 { ProblemType(rawValue: s) } else { nil } }
        try self.init(
            bert: bert, labels: wanted, problemType: problem ?? .singleLabelClassification, pooling: chosen,
            classifier: classifier, initializedPooler: initialized, rng: &rng)
    }

    /// Logits [B, labels]; records for autodiff when training.
    public func logits(_ input: BertInput) throws -> Tensor {
        let out = try bert(input)
        return classifier(dropout(try pooled(out, input: input)))
    }

    /// Logits through the fast inference path (no autodiff, no dropout).
    public func inferenceLogits(_ input: BertInput, workspace: BertWorkspace? = nil) throws -> Tensor {
        let out = try bert.inference(input, workspace: workspace)
        return try withoutGradient { classifier(try pooled(out, input: input)) }
    }

    /// What the classifier reads: [B, H].
    private func pooled(_ out: BertModelOutput, input: BertInput) throws -> Tensor {
        switch pooling {
        case .pooler:
            guard let pooled = out.poolerOutput else { throw TaskHeadError.missingPooler(path: "model") }
            return pooled
        case .cls, .mean:
            let mode: PoolingMode = pooling == .cls ? .cls : .mean
            let hidden = bert.config.hiddenSize
            return Pooling(config: PoolingConfig(embeddingDimension: hidden, modes: [mode]))(
                out.lastHiddenState, attentionMask: input.resolvedAttentionMask)
        }
    }

    /// Saves `config.json` (architectures, id2label, label2id, problem_type;
    /// the pooling when it is not BERT's pooler; how a missing pooler was
    /// initialized) and `model.safetensors` with `bert.`-prefixed keys.
    public func save(to directory: URL) throws {
        var config = TaskHeadCheckpoint.config(bert.config, architecture: "BertForSequenceClassification", labels: labels)
        config.otherKeys["problem_type"] = .string(problemType.rawValue)
        if pooling != .pooler { config.otherKeys[ClassifierPooling.configKey] = .string(pooling.rawValue) }
        if initializedPooler {
            config.otherKeys[ClassifierPooling.initializationKey] = .string(
                "the base checkpoint had no pooler; pooler.dense drawn normal(0, \(bert.config.initializerRange)^2), zero bias")
        }
        var state: [String: Tensor] = [:]
        for (k, v) in stateDict() where !k.contains("lora_") { state[k] = v }
        try Checkpoint.save(config: config, state: state, to: directory)
    }
}
