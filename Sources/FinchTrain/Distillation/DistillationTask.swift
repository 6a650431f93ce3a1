import FinchNN
import FinchTensor
import FinchTransformers
import Foundation

/// Distilling a fine-tuned classifier (the teacher) into a smaller one (the
/// student, see `DistillationStudent`) on labelled texts. Each batch runs the
/// teacher through the inference path (no recording, no dropout) and the
/// student through the differentiable path; the loss is `DistillationLoss`.
/// Everything else is the student's `TextClassificationTask`: encoding,
/// class weights, LoRA, evaluation and saving, so the exported folder is a
/// plain classifier that `finch predict`, `evaluate` and `serve` take as it is.
public final class DistillationTask: TrainingTask, FineTunableTask {
    /// The student's task; its classifier is the model that trains.
    public let student: TextClassificationTask
    /// The fine-tuned classifier whose soft labels the student learns (eval mode, never updated).
    public let teacher: BertForSequenceClassification
    /// The loss's temperature and soft-label weight.
    public let objective: DistillationLoss
    /// Scratch buffers of the teacher's inference path, reused across batches.
    let workspace = BertWorkspace()

    /// The student, as the Trainer sees it.
    public var model: any Module { student.classifier }
    /// The student's word embeddings (FGM).
    public var wordEmbeddingKey: String? { student.wordEmbeddingKey }
    /// The classifier's metrics plus `teacher_kl` and `teacher_agreement`.
    public var reportedMetrics: [TrainingMetric]? { TrainingMetric.classification }
    /// The student's LoRA settings.
    public var loraConfiguration: LoRAConfiguration? {
        get { student.loraConfiguration }
        set { student.loraConfiguration = newValue }
    }

    /// A task distilling `teacher` into `student`'s classifier; both must
    /// have the same labels in the same order and read the same tokens.
    public init(teacher: BertForSequenceClassification, student: TextClassificationTask, objective: DistillationLoss) {
        precondition(
            teacher.labels == student.classifier.labels, "teacher labels \(teacher.labels) vs student \(student.classifier.labels)")
        self.teacher = teacher
        self.student = student
        self.objective = objective
        teacher.eval()
    }

    /// Tokens of the example.
    public func length(of example: EncodedClassificationExample) -> Int { student.length(of: example) }

    /// Tokenizes with the student's (the teacher's) tokenizer; labels must be the teacher's.
    func encode(_ raw: [ClassificationExample], file: String) throws -> [EncodedClassificationExample] {
        try student.encode(raw, file: file)
    }

    /// Weights the cross-entropy term per label.
    func weightClasses(_ weighting: ClassWeighting, trainingExamples: [EncodedClassificationExample]) throws {
        try student.weightClasses(weighting, trainingExamples: trainingExamples)
    }

    /// The loss and its KL and cross-entropy terms on a batch (student in its current mode).
    public func terms(on batch: [EncodedClassificationExample]) throws -> DistillationLoss.Terms {
        let input = student.input(batch)
        let teacherLogits = try teacher.inferenceLogits(input, workspace: workspace)
        let studentLogits = try student.classifier.logits(input)
        return objective.terms(
            student: studentLogits, teacher: teacherLogits, targets: batch.map(\.label), classWeights: student.classWeights)
    }

    /// α · T² · KL + (1 − α) · cross-entropy of the batch.
    public func loss(on batch: [EncodedClassificationExample]) throws -> Tensor { try terms(on: batch).total }

    /// The student's classification metrics and report, plus how close it is
    /// to the teacher: `teacher_kl`, the KL term at the distillation
    /// temperature averaged over the examples, and `teacher_agreement`, the
    /// fraction of examples where both predict the same label.
    public func evaluate(_ examples: [EncodedClassificationExample]) throws -> Evaluation {
        var result = try student.evaluate(examples)
        guard !examples.isEmpty else { return result }
        let s = try logits(examples) { try self.student.logits(forInference: $0, workspace: self.workspace) }
        let t = try logits(examples) { try self.teacher.inferenceLogits($0, workspace: self.workspace) }
        let kl = withoutGradient {
            (s / objective.temperature).logSoftmax().klDivergence(logTarget: (t / objective.temperature).logSoftmax())
        }
        let agreeing = zip(s.argmax(axis: 1), t.argmax(axis: 1)).filter { $0 == $1 }.count
        result.metrics["teacher_kl"] = Double(kl.item)
        result.metrics["teacher_agreement"] = Double(agreeing) / Double(examples.count)
        return result
    }

    /// Logits [N, labels] of `examples` in input order, `evaluationBatchSize` at a time.
    func logits(_ examples: [EncodedClassificationExample], _ run: (BertInput) throws -> Tensor) throws -> Tensor {
        let c = student.labels.count
        var out: [Float] = []
        out.reserveCapacity(examples.count * c)
        var start = 0
        while start < examples.count {
            let batch = Array(examples[start..<Swift.min(start + student.evaluationBatchSize, examples.count)])
            out += try run(student.input(batch)).scalars
            start += student.evaluationBatchSize
        }
        return Tensor(shape: [examples.count, c], values: out)
    }

    /// Writes the student as a classifier folder (weights, config, tokenizer, `finch_task.json`).
    public func saveModel(to directory: URL) throws { try student.saveModel(to: directory) }
}
