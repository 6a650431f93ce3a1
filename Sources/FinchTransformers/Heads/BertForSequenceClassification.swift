import FinchNN
import FinchTensor
import Foundation

/// BERT with a sequence-level head, as Hugging Face's
/// `BertForSequenceClassification`: pooled output → dropout → `classifier`
/// linear layer → logits [B, labels]. Keys: `bert.*`, `classifier.weight`,
/// `classifier.bias`, so checkpoints load in both directions.
public final class BertForSequenceClassification: Module {
    public let bert: BertModel
    public let dropout: Dropout
    public let classifier: Linear
    /// Label names in id order (`id2label`).
    public let labels: [String]
    public var problemType: ProblemType
    public var isTraining = false

    public var children: [(name: String, module: any Module)] {
        [("bert", bert), ("dropout", dropout), ("classifier", classifier)]
    }

    /// A head on `bert` (which needs a pooler) for `labels`, newly initialized
    /// unless `classifier` is given.
    public init(bert: BertModel, labels: [String], problemType: ProblemType = .singleLabelClassification,
                classifier: Linear? = nil, rng: inout FinchRNG) throws {
        (dropout, self.classifier) = try TaskHeadCheckpoint.parts(bert: bert, labels: labels, classifier: classifier, rng: &rng)
        self.bert = bert
        self.labels = labels
        self.problemType = problemType
    }

    /// Loads a directory in Hugging Face layout: a plain encoder (a new head
    /// for `labels`) or a fine-tuned classifier (its head is kept when its
    /// labels equal `labels`, or when `labels` is nil).
    public convenience init(contentsOf directory: URL, labels: [String]? = nil, rng: inout FinchRNG) throws {
        let (bert, head, stored) = try TaskHeadCheckpoint.load(directory, headKeys: ["classifier.weight", "classifier.bias"])
        guard bert.pooler != nil else { throw TaskHeadError.missingPooler(path: directory.path) }
        let wanted = labels ?? stored ?? []
        var classifier: Linear? = nil
        if let head, let w = head["classifier.weight"], w.shape == [wanted.count, bert.config.hiddenSize], labels == nil || labels == stored {
            classifier = Linear(weight: w, bias: head["classifier.bias"])
        }
        let config = try Checkpoint.readConfig(BertConfig.self, from: directory)
        let problem = config.otherKeys["problem_type"].flatMap { if case .string(let s) = $0 { ProblemType(rawValue: s) } else { nil } }
        try self.init(bert: bert, labels: wanted, problemType: problem ?? .singleLabelClassification, classifier: classifier, rng: &rng)
    }

    /// Logits [B, labels]; records for autodiff when training.
    public func logits(_ input: BertInput) throws -> Tensor {
        let out = try bert(input)
        guard let pooled = out.poolerOutput else { throw TaskHeadError.missingPooler(path: "model") }
        return classifier(dropout(pooled))
    }

    /// Logits through the fast inference path (no autodiff, no dropout).
    public func inferenceLogits(_ input: BertInput, workspace: BertWorkspace? = nil) throws -> Tensor {
        let out = try bert.inference(input, workspace: workspace)
        guard let pooled = out.poolerOutput else { throw TaskHeadError.missingPooler(path: "model") }
        return withoutGradient { classifier(pooled) }
    }

    /// Saves `config.json` (architectures, id2label, label2id, problem_type) and
    /// `model.safetensors` with `bert.`-prefixed keys.
    public func save(to directory: URL) throws {
        var config = TaskHeadCheckpoint.config(bert.config, architecture: "BertForSequenceClassification", labels: labels)
        config.otherKeys["problem_type"] = .string(problemType.rawValue)
        var state: [String: Tensor] = [:]
        for (k, v) in stateDict() where !k.contains("lora_") { state[k] = v }
        try Checkpoint.save(config: config, state: state, to: directory)
    }
}
