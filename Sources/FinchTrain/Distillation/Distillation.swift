import FinchNN
import FinchTensor
import FinchTransformers
import Foundation

/// The recipe behind `finch distill`: a smaller classifier trained on a
/// fine-tuned one's soft labels and the true labels.
public enum Distillation {
    /// Distils the teacher classifier into a student of `layers` layers: check
    /// the request, load the teacher, cut the student from it
    /// (`DistillationStudent`), read the data, then train as `finch train
    /// classify` does (`FineTuning.fineTune`). The result's settings hold the
    /// layer count, the kept teacher layers, the temperature and α, for the run record.
    public static func classify(
        _ r: DistillationRequest, stop: StopSignal = StopSignal(),
        events: (TrainingEvent) -> Void = { _ in }
    ) throws -> FineTuningResult {
        try r.validateSettings()
        var f = r.fineTuning
        if f.maxLength == nil, let stored = try TaskMetadata.readIfPresent(in: r.teacherDirectory)?.maxLength {
            f.maxLength = stored  // the student reads what the teacher was trained on
        }
        var notes: [String] = []
        let maxLength = try FineTuning.check(f, metrics: TrainingMetric.classification, notes: &notes)
        let teacherLayers = try Checkpoint.readConfig(BertConfig.self, from: r.teacherDirectory).numHiddenLayers
        let layers = r.layers ?? DistillationStudent.defaultLayers(teacherLayers: teacherLayers)
        guard layers <= teacherLayers else { throw DistillationError.invalidLayers(requested: layers, teacherLayers: teacherLayers) }
        if f.freezeLayers > layers {
            throw TrainingError.invalidConfiguration(
                setting: .freezeLayers, reason: "must be at most \(layers), the student's number of layers")
        }
        let kept = DistillationStudent.keptLayers(teacherLayers: teacherLayers, studentLayers: layers)
        notes.append(
            "student of \(layers) of the teacher's \(teacherLayers) layers, starting from teacher layer\(kept.count == 1 ? "" : "s") "
                + kept.map(String.init).joined(separator: ", ") + "; embeddings, pooler and head copied from the teacher")
        let teacher = try loadTeacher(r.teacherDirectory)
        var rng = FinchRNG(seed: f.training.seed)
        let classifier = try DistillationStudent.initialize(from: teacher.classifier, layers: layers, rng: &rng)
        let student = TextClassificationTask(
            classifier: classifier, tokenizer: teacher.tokenizer, tokenizerDirectory: r.teacherDirectory, maxLength: maxLength)
        student.metadata.textColumn = f.columns.text
        student.metadata.textPairColumn = f.columns.textPair
        student.metadata.labelColumn = f.columns.label
        let data = try TaskData<ClassificationExample>.load(
            train: f.trainFile, dev: f.devFile, reader: ClassificationReader(columns: f.columns), seed: f.training.seed,
            holdOutFraction: f.holdOut)
        let task = DistillationTask(
            teacher: teacher.classifier, student: student,
            objective: DistillationLoss(temperature: Float(r.temperature), alpha: Float(r.alpha)))
        var result = try FineTuning.fineTune(task, data: data, request: f, notes: notes, stop: stop, events: events)
        result.settings = [
            "distillation_teacher_layers": String(teacherLayers), "distillation_layers": String(layers),
            "distillation_kept_layers": kept.map(String.init).joined(separator: ","),
            "distillation_temperature": String(r.temperature), "distillation_alpha": String(r.alpha),
        ]
        return result
    }

    /// The teacher's classification task (LoRA adapters merged, eval mode).
    ///
    /// - Throws: `DistillationError` for a tagger or a multi-label classifier.
    static func loadTeacher(_ directory: URL) throws -> TextClassificationTask {
        let teacher: TextClassificationTask
        do {
            guard case .classifier(let task) = try FineTunedModel.load(directory) else {
                throw DistillationError.teacherNotAClassifier(path: directory.path, found: "a token classifier (NER)")
            }
            teacher = task
        } catch TaskError.notAFineTunedModel(_, let architecture) {
            throw DistillationError.teacherNotAClassifier(
                path: directory.path, found: architecture.isEmpty ? "a model without a task head" : architecture)
        }
        if teacher.isMultiLabel { throw DistillationError.multiLabel(path: directory.path) }
        return teacher
    }
}
