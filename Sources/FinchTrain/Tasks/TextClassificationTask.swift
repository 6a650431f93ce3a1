import FinchNN
import FinchSupport
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// Fine-tuning a `BertForSequenceClassification` on labelled texts (sentiment,
/// topic, intent). Single-label: softmax cross-entropy with optional class
/// weights. Multi-label (`problemType` multi-label; the label field holds labels
/// joined by `labelSeparator`): independent sigmoids, binary cross-entropy, a
/// label is predicted when its probability is at least 0.5.
public final class TextClassificationTask: TrainingTask, FineTunableTask {
    /// The model that trains.
    public let classifier: BertForSequenceClassification
    /// The model's tokenizer.
    public let tokenizer: Tokenizer
    /// The labels, in the model's output order.
    public let labels: LabelSet
    /// Tokens per example, special tokens included.
    public let maxLength: Int
    /// Per-class loss weights [labels]; nil for plain cross-entropy.
    public var classWeights: Tensor?
    /// Where the tokenizer files come from (copied next to saved models).
    public let tokenizerDirectory: URL
    /// What `finch_task.json` records next to the saved model.
    public var metadata: TaskMetadata
    /// Examples per forward pass when evaluating and predicting.
    public var evaluationBatchSize = 64
    /// Multi-label: separator between the labels of one example.
    public var labelSeparator = "|"
    /// True for a multi-label classifier (sigmoid outputs).
    public var isMultiLabel: Bool { classifier.problemType == .multiLabelClassification }
    /// Set when LoRA adapters were attached; saved next to the model unless merged.
    public var loraConfiguration: LoRAConfiguration?

    /// The classifier, as the Trainer sees it.
    public var model: any Module { classifier }
    /// The word embeddings FGM perturbs.
    public var wordEmbeddingKey: String? { "bert.embeddings.word_embeddings.weight" }
    /// Accuracy, F1 averages and loss (multi-label: micro F1 too).
    public var reportedMetrics: [TrainingMetric]? {
        isMultiLabel ? TrainingMetric.multiLabelClassification : TrainingMetric.classification
    }

    /// A task over a loaded classifier and tokenizer.
    public init(classifier: BertForSequenceClassification, tokenizer: Tokenizer, tokenizerDirectory: URL, maxLength: Int) {
        self.classifier = classifier
        self.tokenizer = tokenizer
        self.labels = LabelSet(orderedLabels: classifier.labels)
        self.maxLength = maxLength
        self.tokenizerDirectory = tokenizerDirectory
        metadata = TaskMetadata(task: .classification, maxLength: maxLength)
    }

    /// Loads a model directory (base encoder or fine-tuned classifier) and its
    /// tokenizer; `pooling` as `BertForSequenceClassification(contentsOf:labels:pooling:rng:)`.
    public convenience init(
        modelDirectory: URL, labels: [String]?, maxLength: Int?, seed: UInt64,
        pooling: ClassifierPooling? = nil
    ) throws {
        var rng = FinchRNG(seed: seed)
        let classifier = try BertForSequenceClassification(contentsOf: modelDirectory, labels: labels, pooling: pooling, rng: &rng)
        let tokenizer = try Tokenizer.load(directory: modelDirectory)
        let stored = try TaskMetadata.readIfPresent(in: modelDirectory)
        let length = Swift.min(maxLength ?? stored?.maxLength ?? 512, classifier.bert.config.maxPositionEmbeddings)
        self.init(classifier: classifier, tokenizer: tokenizer, tokenizerDirectory: modelDirectory, maxLength: length)
    }

    /// The individual labels of a multi-label field.
    public static func splitLabels(_ field: String, separator: String) -> [String] {
        field.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Tokenizes examples (truncating to `maxLength`); labels must be known.
    public func encode(_ examples: [ClassificationExample], file: String) throws -> [EncodedClassificationExample] {
        if isMultiLabel {
            var sets: [[Int]] = []
            for e in examples {
                var ids: [Int] = []
                for name in Self.splitLabels(e.label, separator: labelSeparator) {
                    guard let id = labels.id(of: name) else {
                        throw DataError.unknownLabel(file: file, line: e.line, label: name, known: labels.labels)
                    }
                    ids.append(id)
                }
                sets.append(ids)
            }
            let encodings = try tokenizer.encode(
                batch: examples.map { ($0.text, $0.textPair) }, truncation: Truncation(maxLength: maxLength))
            return zip(zip(encodings, examples), sets).map { pair, set in
                EncodedClassificationExample(ids: pair.0.ids, typeIDs: pair.0.typeIDs, label: -1, labelSet: set, line: pair.1.line)
            }
        }
        let ids = try labels.ids(for: examples, file: file)
        let encodings = try tokenizer.encode(
            batch: examples.map { ($0.text, $0.textPair) },
            truncation: Truncation(maxLength: maxLength))
        return zip(zip(encodings, examples), ids).map { pair, label in
            EncodedClassificationExample(ids: pair.0.ids, typeIDs: pair.0.typeIDs, label: label, line: pair.1.line)
        }
    }

    /// Encodes texts for prediction (no labels).
    public func encode(texts: [(String, String?)]) throws -> [EncodedClassificationExample] {
        try tokenizer.encode(batch: texts.map { (text: $0.0, pair: $0.1) }, truncation: Truncation(maxLength: maxLength))
            .map { EncodedClassificationExample(ids: $0.ids, typeIDs: $0.typeIDs, label: -1, line: 0) }
    }

    /// Sets the loss weights: balanced (single-label only) or explicit per label.
    func weightClasses(_ weighting: ClassWeighting, trainingExamples: [EncodedClassificationExample]) throws {
        switch weighting {
        case .balanced:
            guard !isMultiLabel else {
                throw TrainingError.invalidConfiguration(
                    setting: .classWeights, reason: "balanced weights are for single-label data; give a positive weight per label")
            }
            setBalancedClassWeights(from: trainingExamples)
        case .perLabel(let weights):
            classWeights = try FineTuning.explicitWeights(weights, labels: labels)
        }
    }

    /// Sets class weights from training label counts: n / (classes · count),
    /// scikit-learn's "balanced" weights (a class never seen gets weight 1).
    public func setBalancedClassWeights(from examples: [EncodedClassificationExample]) {
        var counts = [Int](repeating: 0, count: labels.count)
        for e in examples { counts[e.label] += 1 }
        let n = Float(examples.count), c = Float(labels.count)
        classWeights = Tensor(counts.map { $0 > 0 ? n / (c * Float($0)) : 1 })
    }

    /// Tokens of the example.
    public func length(of example: EncodedClassificationExample) -> Int { example.ids.count }

    func input(_ batch: [EncodedClassificationExample]) -> BertInput {
        BertInput(padding: batch.map(\.ids), tokenTypeIDs: batch.map(\.typeIDs), padTokenID: tokenizer.padID)
    }

    /// Mean cross-entropy (multi-label: binary cross-entropy) of the batch, with the class weights.
    public func loss(on batch: [EncodedClassificationExample]) throws -> Tensor {
        let logits = try classifier.logits(input(batch))
        guard isMultiLabel else { return logits.crossEntropy(targets: batch.map(\.label), classWeights: classWeights) }
        return logits.binaryCrossEntropyWithLogits(multiHot(batch), positiveWeight: classWeights)
    }

    /// [N, labels] 0/1 targets of multi-label examples.
    func multiHot(_ batch: [EncodedClassificationExample]) -> Tensor {
        let c = labels.count
        var t = [Float](repeating: 0, count: batch.count * c)
        for (i, e) in batch.enumerated() { for l in e.labelSet { t[i * c + l] = 1 } }
        return Tensor(shape: [batch.count, c], values: t)
    }

    /// Class probabilities [N, labels] in input order, batched by length.
    public func probabilities(_ examples: [EncodedClassificationExample]) throws -> Tensor {
        let order = examples.indices.sorted { examples[$0].ids.count > examples[$1].ids.count }
        let c = labels.count
        var out = [Float](repeating: 0, count: examples.count * c)
        let workspace = BertWorkspace()
        var start = 0
        while start < order.count {
            let idx = Array(order[start..<Swift.min(start + evaluationBatchSize, order.count)])
            let z = try logits(forInference: input(idx.map { examples[$0] }), workspace: workspace)
            let probs = isMultiLabel ? z.sigmoid() : z.softmax()
            let p = probs.scalars
            for (row, i) in idx.enumerated() { for j in 0..<c { out[i * c + j] = p[row * c + j] } }
            start += evaluationBatchSize
        }
        return Tensor(shape: [examples.count, c], values: out)
    }

    /// Accuracy, F1 averages, mean loss and scikit-learn's report.
    public func evaluate(_ examples: [EncodedClassificationExample]) throws -> Evaluation {
        if isMultiLabel { return try evaluateMultiLabel(examples) }
        let probs = try probabilities(examples)
        let predicted = probs.argmax(axis: 1)
        let p = probs.scalars, c = labels.count
        var loss = 0.0
        for (i, e) in examples.enumerated() { loss -= Foundation.log(Double(Swift.max(p[i * c + e.label], 1e-12))) }
        let report = Self.report(truth: examples.map(\.label), predicted: predicted, labels: labels)
        let e = report.evaluation
        return Evaluation(
            metrics: [
                "accuracy": e.accuracy, "macro_f1": e.macroF1, "weighted_f1": e.weightedF1,
                "loss": loss / Double(Swift.max(examples.count, 1)),
            ],
            report: report.text(), json: try e.jsonString())
    }

    /// scikit-learn's `classification_report` of label ids: its rows are the
    /// labels present in the truth or the predictions (scikit-learn's default
    /// label set), not every label of the model, so a label absent from both
    /// neither prints with support 0 nor counts in the macro average.
    static func report(truth: [Int], predicted: [Int], labels: LabelSet) -> ClassificationReport {
        ClassificationReport(truth: truth.map { labels.label(for: $0) }, predicted: predicted.map { labels.label(for: $0) })
    }

    func evaluateMultiLabel(_ examples: [EncodedClassificationExample]) throws -> Evaluation {
        let p = try probabilities(examples).scalars, c = labels.count
        let target = multiHot(examples).scalars
        var loss = 0.0
        for i in 0..<(examples.count * c) {
            let q = Double(Swift.min(Swift.max(p[i], 1e-12), 1 - 1e-7))
            loss -= Double(target[i]) * Foundation.log(q) + Double(1 - target[i]) * Foundation.log(1 - q)
        }
        let truth = (0..<examples.count).map { i in (0..<c).map { target[i * c + $0] == 1 } }
        let predicted = (0..<examples.count).map { i in (0..<c).map { p[i * c + $0] >= 0.5 } }
        let report = MultiLabelClassificationReport(truth: truth, predicted: predicted, labels: labels.labels)
        let json = String(
            format: "{\"subset_accuracy\":%.17g,\"micro_f1\":%.17g,\"macro_f1\":%.17g}",
            report.subsetAccuracy, report.micro.f1, report.macro.f1)
        return Evaluation(
            metrics: [
                "accuracy": report.subsetAccuracy, "micro_f1": report.micro.f1, "macro_f1": report.macro.f1,
                "weighted_f1": report.weighted.f1, "loss": loss / Double(Swift.max(examples.count * c, 1)),
            ],
            report: report.text(), json: json)
    }

    func logits(forInference input: BertInput, workspace: BertWorkspace) throws -> Tensor {
        try TaskHeadRuntime.logits(classifier, input, workspace: workspace, adapted: loraConfiguration != nil)
    }

    /// Writes the classifier, its adapters, the tokenizer files and `finch_task.json`.
    public func saveModel(to directory: URL) throws {
        try TaskHeadRuntime.save(
            classifier, lora: loraConfiguration, tokenizerDirectory: tokenizerDirectory, metadata: metadata, to: directory)
    }
}
