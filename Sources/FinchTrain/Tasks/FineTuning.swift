import FinchNN
import FinchSupport
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// The fine-tuning recipes behind `finch train classify|ner`. Both follow
/// one flow: check the request (before reading anything), check it against
/// the model's config, read the data, build the task, then `fineTune`.
public enum FineTuning {
    /// Fine-tunes a sequence classifier.
    public static func classify(
        _ r: FineTuningRequest, stop: StopSignal = StopSignal(),
        events: (TrainingEvent) -> Void = { _ in }
    ) throws -> FineTuningResult {
        var notes: [String] = []
        let maxLength = try check(
            r, metrics: r.multiLabel ? TrainingMetric.multiLabelClassification : TrainingMetric.classification,
            notes: &notes)
        if r.multiLabel && r.classWeights == .balanced {
            throw TrainingError.invalidConfiguration(
                setting: .classWeights, reason: "balanced weights are for single-label data; give a positive weight per label")
        }
        let data: TaskData<ClassificationExample>
        if r.multiLabel {
            data = try multiLabelData(r)
        } else {
            data = try TaskData<ClassificationExample>.load(
                train: r.trainFile, dev: r.devFile, reader: ClassificationReader(columns: r.columns), seed: r.training.seed,
                holdOutFraction: r.holdOut)
            try requireTwoLabels(data.labels, file: r.trainFile)
        }
        let task = try TextClassificationTask(
            modelDirectory: r.modelDirectory, labels: data.labels.labels, maxLength: maxLength,
            seed: r.training.seed, pooling: r.pooling)
        if task.classifier.initializedPooler {
            let range = task.classifier.bert.config.initializerRange
            notes.append(
                "the checkpoint has no pooler: a new one was drawn as transformers does (weights normal(0, \(range)²), "
                    + "zero bias; seed \(r.training.seed)); cls or mean pooling uses none")
        }
        if r.multiLabel {
            task.classifier.problemType = .multiLabelClassification
            task.labelSeparator = r.labelSeparator
        }
        task.metadata.textColumn = r.columns.text
        task.metadata.textPairColumn = r.columns.textPair
        task.metadata.labelColumn = r.columns.label
        let result = try fineTune(task, data: data, request: r, notes: notes, stop: stop, events: events)
        if !r.multiLabel && !result.summary.interrupted && r.isWriter {
            // What `finch retrain` replays and evaluates on later.
            try TrainingDataRecord.write(
                train: data.train, dev: data.dev, source: data.devSource, trainingFile: r.trainFile.path, seed: r.training.seed,
                to: r.outputDirectory)
        }
        return result
    }

    /// Fine-tunes a token classifier (NER).
    public static func tag(
        _ r: FineTuningRequest, stop: StopSignal = StopSignal(),
        events: (TrainingEvent) -> Void = { _ in }
    ) throws -> FineTuningResult {
        var notes: [String] = []
        let maxLength = try check(r, metrics: TrainingMetric.entities, notes: &notes)
        let data = try TaskData<TaggedSentence>.load(train: r.trainFile, dev: r.devFile, seed: r.training.seed, holdOutFraction: r.holdOut)
        try requireTwoLabels(data.labels, file: r.trainFile)
        let tokenizer = try Tokenizer.load(directory: r.modelDirectory)
        let noSpaces = TokenClassificationTask.wantsBoundaryDropped(data.train, tokenizer: tokenizer)
        let boundary = r.wordBoundary ?? (noSpaces ? .drop : .keep)
        if r.wordBoundary == nil && noSpaces {
            notes.append(
                "words are written without spaces and the tokenizer marks word starts: no boundary piece per word (word boundary: drop)")
        }
        let task = try TokenClassificationTask(
            modelDirectory: r.modelDirectory, labels: data.labels.labels, maxLength: maxLength,
            boundary: boundary, splitting: noSpaces ? .characters : .whitespace, seed: r.training.seed)
        let result = try fineTune(task, data: data, request: r, notes: notes, stop: stop, events: events)
        if !result.summary.interrupted && r.isWriter {
            // What `finch retrain` replays and evaluates on later.
            try TrainingDataRecord.write(
                train: data.train, dev: data.dev, source: data.devSource, trainingFile: r.trainFile.path, seed: r.training.seed,
                to: r.outputDirectory)
        }
        return result
    }

    /// What both recipes check before reading any data: the request itself,
    /// the chosen metric against what the task reports, and the request
    /// against the model's `config.json`. Returns the length to train with
    /// (noting when the default was capped).
    static func check(_ r: FineTuningRequest, metrics: [TrainingMetric], notes: inout [String]) throws -> Int {
        try r.validate()
        let metric = r.training.metricForBestModel
        guard metrics.contains(metric) else {
            throw TrainingError.invalidConfiguration(
                setting: .metric,
                reason: "'\(metric.rawValue)' is not reported by this task; choose one of "
                    + metrics.map(\.rawValue).joined(separator: ", "))
        }
        let maxLength = try r.validate(against: Checkpoint.readConfig(BertConfig.self, from: r.modelDirectory))
        if r.maxLength == nil && maxLength < FineTuningRequest.defaultMaxLength {
            notes.append(
                "maximum length \(maxLength) tokens, the model's position limit"
                    + " (the default \(FineTuningRequest.defaultMaxLength) is above it)")
        }
        return maxLength
    }

    /// A classifier or tagger needs two labels to tell apart.
    static func requireTwoLabels(_ labels: LabelSet, file: URL) throws {
        if labels.count == 1 { throw TrainingError.singleLabel(file: file.relativePath, label: labels.labels[0]) }
    }

    /// The shared flow once the task is built: encode, weight the classes,
    /// freeze or attach LoRA, train, and with `mergeLoRA` export merged weights.
    static func fineTune<Task: FineTunableTask>(
        _ task: Task, data: TaskData<Task.Raw>, request r: FineTuningRequest, notes: [String], stop: StopSignal,
        events: (TrainingEvent) -> Void
    ) throws -> FineTuningResult {
        let train = try task.encode(data.train, file: r.trainFile.lastPathComponent)
        let dev = try encodeDevelopment(task, data: data, request: r)
        if let weighting = r.classWeights { try task.weightClasses(weighting, trainingExamples: train) }
        try prepare(task.model, request: r, lora: &task.loraConfiguration)
        let trainer = try Trainer(task: task, configuration: r.training, train: train, dev: dev, outputDirectory: r.outputDirectory)
        trainer.dataParallel = r.dataParallel
        let summary = try trainer.run(resume: r.resume, stop: stop, events: events)
        if !summary.interrupted && r.mergeLoRA && task.loraConfiguration != nil && r.isWriter {
            let lock = try OutputFolderLock(r.outputDirectory)
            defer { withExtendedLifetime(lock) {} }
            task.loraConfiguration = nil
            try exportMerged(task.model, task: task, out: r.outputDirectory)
        }
        return FineTuningResult(
            summary: summary, development: data.devSource, trainExamples: data.train.count,
            labels: data.labels.labels, notes: notes)
    }

    /// Encodes the development part; a label that only the automatic hold-out
    /// has is blamed on the hold-out, not on the file.
    static func encodeDevelopment<Task: FineTunableTask>(
        _ task: Task, data: TaskData<Task.Raw>,
        request r: FineTuningRequest
    ) throws -> [Task.Example] {
        do {
            return try task.encode(data.dev, file: r.devFile?.lastPathComponent ?? r.trainFile.lastPathComponent)
        } catch let error as DataError {
            if case let .unknownLabel(_, line, label, _) = error, case let .heldOut(file, fraction, seed, _) = data.devSource {
                throw TrainingError.heldOutLabelNotInTraining(file: file, line: line, label: label, fraction: fraction, seed: seed)
            }
            throw error
        }
    }

    /// Multi-label files: labels are the separated parts of each label field; a
    /// development label must occur in training.
    static func multiLabelData(_ r: FineTuningRequest) throws -> TaskData<ClassificationExample> {
        let reader = ClassificationReader(columns: r.columns)
        var train = try reader.read(r.trainFile)
        var dev: [ClassificationExample]
        let source: DevelopmentSource
        if let devFile = r.devFile {
            dev = try reader.read(devFile)
            source = .file(devFile.relativePath)
        } else {
            let split = try HoldOutSplit(train, fraction: r.holdOut, seed: r.training.seed, file: r.trainFile.relativePath)
            (train, dev) = (split.train, split.dev)
            source = .heldOut(trainingFile: r.trainFile.relativePath, fraction: r.holdOut, seed: r.training.seed, count: dev.count)
        }
        let labels = LabelSet(trainingLabels: train.flatMap { TextClassificationTask.splitLabels($0.label, separator: r.labelSeparator) })
        return TaskData(train: train, dev: dev, labels: labels, devSource: source)
    }

    /// Freezing and LoRA before training. The task head always trains.
    static func prepare(_ model: any Module, request r: FineTuningRequest, lora: inout LoRAConfiguration?) throws {
        if r.freezeEmbeddings { model.freeze(["bert.embeddings."]) }
        if r.freezeLayers > 0 {
            model.freeze(["bert.embeddings."] + (0..<r.freezeLayers).map { "bert.encoder.layer.\($0)." })
        }
        if let config = r.lora {
            var rng = FinchRNG(seed: r.training.seed &+ 17)
            try model.applyLoRA(config, rng: &rng)
            model.freeze(["classifier."], frozen: false)
            lora = config
        }
    }

    /// After training with LoRA and `mergeLoRA`: folds the adapters into the
    /// weights and exports a plain checkpoint (no adapter files).
    static func exportMerged(_ model: any Module, task: some TrainingTask, out: URL) throws {
        model.mergeLoRA()
        let fm = FileManager.default
        for name in [LoRAFiles.weights, LoRAFiles.config] where fm.fileExists(atPath: out.appendingPathComponent(name).path) {
            try fm.removeItem(at: out.appendingPathComponent(name))
        }
        try task.saveModel(to: out)
    }

    /// Per-label weights in label order (unlisted labels weigh 1).
    ///
    /// - Throws: `TrainingError.invalidConfiguration` for a label not in `labels`.
    static func explicitWeights(_ weights: [LabelWeight], labels: LabelSet) throws -> Tensor {
        var w = [Float](repeating: 1, count: labels.count)
        for entry in weights {
            guard let id = labels.id(of: entry.label) else {
                throw TrainingError.invalidConfiguration(
                    setting: .classWeights,
                    reason: "unknown label '\(entry.label)'; the training labels are \(labels.labels.joined(separator: ", "))")
            }
            w[id] = Float(entry.weight)
        }
        return Tensor(w)
    }
}
