import FinchNN
import FinchSupport
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// What a teacher folder asks `finch distill` to do.
public enum DistillationKind: String, Sendable {
    /// A fine-tuned classifier: soft labels and true labels on labelled data.
    case classifier
    /// A sentence-transformers folder (`modules.json`): sentence vectors on unlabelled text.
    case embedder

    /// The kind of `teacher`: `embedder` when it holds a `modules.json`, else `classifier`.
    public init(teacher: URL) {
        let modules = teacher.appendingPathComponent(SentenceTransformersFolder.modulesFileName)
        self = FileManager.default.fileExists(atPath: modules.path) ? .embedder : .classifier
    }
}

extension Distillation {
    /// Distils a sentence embedder into a student of `layers` layers on the
    /// texts of the training file (one per line): check the request, load the
    /// teacher, cut the student from its encoder (`DistillationStudent`), read
    /// the texts (holding out `holdOut` of them without a development file),
    /// then train on the Trainer with `EmbeddingDistillationTask`. The best
    /// student is the one with the lowest development `loss`.
    public static func embed(
        _ r: DistillationRequest, stop: StopSignal = StopSignal(),
        events: (TrainingEvent) -> Void = { _ in }
    ) throws -> FineTuningResult {
        try r.validateSettings()
        let f = r.fineTuning
        try f.validate()
        guard f.training.metricForBestModel == .loss else {
            throw TrainingError.invalidConfiguration(
                setting: .metric, reason: "'\(f.training.metricForBestModel.rawValue)' is not reported for an embedder; use loss")
        }
        let folder = try SentenceTransformersFolder(contentsOf: r.teacherDirectory)
        let config = try Checkpoint.readConfig(BertConfig.self, from: folder.transformerDirectory)
        let maxLength = try f.validate(against: config)
        let teacherLayers = config.numHiddenLayers
        let layers = r.layers ?? DistillationStudent.defaultLayers(teacherLayers: teacherLayers)
        guard layers <= teacherLayers else { throw DistillationError.invalidLayers(requested: layers, teacherLayers: teacherLayers) }
        let kept = DistillationStudent.keptLayers(teacherLayers: teacherLayers, studentLayers: layers)
        let teacher = try SentenceEmbedder(contentsOf: r.teacherDirectory)
        if let asked = f.maxLength, asked > teacher.maxSequenceLength {
            throw TrainingError.invalidConfiguration(
                setting: .maxLength, reason: "must be at most \(teacher.maxSequenceLength), the teacher's max_seq_length")
        }
        var rng = FinchRNG(seed: f.training.seed)
        let student = try DistillationStudent.initialize(from: teacher.model, layers: layers, rng: &rng)
        let task = EmbeddingDistillationTask(
            teacher: teacher, student: student, tokenizer: try Tokenizer.load(directory: folder.transformerDirectory),
            tokenizerDirectory: folder.transformerDirectory, maxLength: Swift.min(maxLength, teacher.maxSequenceLength))
        let notes = [
            "student of \(layers) of the teacher's \(teacherLayers) layers, starting from teacher layer\(kept.count == 1 ? "" : "s") "
                + kept.map(String.init).joined(separator: ", ") + "; embeddings and pooling as the teacher's"
        ]
        let reader = TextLinesReader()
        var train = try reader.read(f.trainFile)
        let dev: [TextLine]
        let source: DevelopmentSource
        if let devFile = f.devFile {
            dev = try reader.read(devFile)
            source = .file(devFile.relativePath)
        } else {
            let split = try HoldOutSplit(train, fraction: f.holdOut, seed: f.training.seed, file: f.trainFile.relativePath)
            (train, dev) = (split.train, split.dev)
            source = .heldOut(trainingFile: f.trainFile.relativePath, fraction: f.holdOut, seed: f.training.seed, count: dev.count)
        }
        if f.freezeEmbeddings { student.freeze(["embeddings."]) }
        let trainer = try Trainer(
            task: task, configuration: f.training, train: try task.encode(train), dev: try task.encode(dev),
            outputDirectory: f.outputDirectory)
        trainer.dataParallel = f.dataParallel
        let summary = try trainer.run(resume: f.resume, stop: stop, events: events)
        var result = FineTuningResult(summary: summary, development: source, trainExamples: train.count, labels: [], notes: notes)
        result.settings = [
            "distillation_teacher_layers": String(teacherLayers), "distillation_layers": String(layers),
            "distillation_kept_layers": kept.map(String.init).joined(separator: ","),
        ]
        return result
    }
}
