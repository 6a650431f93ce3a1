import FinchNN
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// Everything `finch train classify|ner` asks for, as one value.
public struct FineTuningRequest: Sendable {
    public var modelDirectory: URL
    public var trainFile: URL
    public var devFile: URL?
    public var outputDirectory: URL
    public var training = TrainingConfiguration()
    public var maxLength = 128
    public var columns = ClassificationColumns()
    /// "auto" (balanced), explicit weights per label ("pos=2,neg=1"), or nil.
    public var classWeights: String?
    public var lora: LoRAConfiguration?
    public var mergeLoRA = false
    public var freezeEmbeddings = false
    public var freezeLayers = 0
    /// NER: word-boundary rule; nil chooses automatically.
    public var wordBoundary: WordBoundary?
    public var resume = false
    /// Fraction held out when there is no dev file.
    public var holdOut = 0.1
    /// Classification: each label field holds several labels joined by `labelSeparator`.
    public var multiLabel = false
    public var labelSeparator = "|"

    public init(modelDirectory: URL, trainFile: URL, outputDirectory: URL) {
        self.modelDirectory = modelDirectory
        self.trainFile = trainFile
        self.outputDirectory = outputDirectory
    }
}

/// What a fine-tuning run reports besides its events.
public struct FineTuningResult: Sendable {
    public var summary: TrainingSummary
    /// Where the development examples came from.
    public var development: DevelopmentSource
    public var trainExamples: Int
    public var labels: [String]
    /// Notes for the user (automatic choices made).
    public var notes: [String]
}

/// The fine-tuning recipes behind the CLI.
public enum FineTuning {
    /// Fine-tunes a sequence classifier.
    public static func classify(_ r: FineTuningRequest, stop: StopSignal = StopSignal(),
                                events: (TrainingEvent) -> Void = { _ in }) throws -> FineTuningResult {
        let data: TaskData<ClassificationExample>
        if r.multiLabel {
            data = try multiLabelData(r)
        } else {
            data = try TaskData<ClassificationExample>.load(
                train: r.trainFile, dev: r.devFile, reader: ClassificationReader(columns: r.columns), seed: r.training.seed,
                holdOutFraction: r.holdOut)
        }
        let (train, dev, labels) = (data.train, data.dev, data.labels)
        let task = try TextClassificationTask(modelDirectory: r.modelDirectory, labels: labels.labels, maxLength: r.maxLength, seed: r.training.seed)
        if r.multiLabel {
            task.classifier.problemType = .multiLabelClassification
            task.labelSeparator = r.labelSeparator
        }
        task.metadata.textColumn = r.columns.text
        task.metadata.textPairColumn = r.columns.textPair
        task.metadata.labelColumn = r.columns.label
        let encodedTrain = try task.encode(train, file: r.trainFile.lastPathComponent)
        let encodedDev = try task.encode(dev, file: r.devFile?.lastPathComponent ?? r.trainFile.lastPathComponent)
        if let spec = r.classWeights {
            if spec == "auto" {
                if r.multiLabel {
                    throw TrainingError.invalidConfiguration(field: "class-weights", reason: "auto is for single-label data; give LABEL=W positive weights")
                }
                task.setBalancedClassWeights(from: encodedTrain)
            } else {
                task.classWeights = try parseClassWeights(spec, labels: labels)
            }
        }
        let config = r.training
        try prepare(task.classifier, request: r, headPrefix: "classifier.", lora: &task.loraConfiguration)
        let trainer = try Trainer(task: task, configuration: config, train: encodedTrain, dev: encodedDev, outputDirectory: r.outputDirectory)
        let summary = try trainer.run(resume: r.resume, stop: stop, events: events)
        if !summary.interrupted && r.mergeLoRA && task.loraConfiguration != nil {
            task.loraConfiguration = nil
            try exportMerged(task.classifier, task: task, out: r.outputDirectory)
        }
        return FineTuningResult(summary: summary, development: data.devSource, trainExamples: train.count, labels: labels.labels, notes: [])
    }

    /// Fine-tunes a token classifier (NER).
    public static func tag(_ r: FineTuningRequest, stop: StopSignal = StopSignal(),
                           events: (TrainingEvent) -> Void = { _ in }) throws -> FineTuningResult {
        let data = try TaskData<TaggedSentence>.load(train: r.trainFile, dev: r.devFile, seed: r.training.seed, holdOutFraction: r.holdOut)
        let (train, dev, labels) = (data.train, data.dev, data.labels)
        let tokenizer = try Tokenizer.load(directory: r.modelDirectory)
        var notes: [String] = []
        let noSpaces = TokenClassificationTask.wantsBoundaryDropped(train, tokenizer: tokenizer)
        let boundary = r.wordBoundary ?? (noSpaces ? .drop : .keep)
        if r.wordBoundary == nil && noSpaces {
            notes.append("words are written without spaces and the tokenizer marks word starts: no boundary piece per word (--word-boundary drop)")
        }
        let task = try TokenClassificationTask(modelDirectory: r.modelDirectory, labels: labels.labels, maxLength: r.maxLength,
                                               boundary: boundary, splitting: noSpaces ? .characters : .whitespace, seed: r.training.seed)
        let encodedTrain = try task.encode(train, file: r.trainFile.lastPathComponent)
        let encodedDev = try task.encode(dev, file: r.devFile?.lastPathComponent ?? r.trainFile.lastPathComponent)
        if let spec = r.classWeights {
            if spec == "auto" {
                var counts = [Int](repeating: 0, count: labels.count)
                for e in encodedTrain { for l in e.labels where l >= 0 { counts[l] += 1 } }
                let n = Float(counts.reduce(0, +)), c = Float(labels.count)
                task.classWeights = Tensor(counts.map { $0 > 0 ? n / (c * Float($0)) : 1 })
            } else {
                task.classWeights = try parseClassWeights(spec, labels: labels)
            }
        }
        var config = r.training
        if config.metricForBestModel == "accuracy" { config.metricForBestModel = "f1" }
        try prepare(task.tagger, request: r, headPrefix: "classifier.", lora: &task.loraConfiguration)
        let trainer = try Trainer(task: task, configuration: config, train: encodedTrain, dev: encodedDev, outputDirectory: r.outputDirectory)
        let summary = try trainer.run(resume: r.resume, stop: stop, events: events)
        if !summary.interrupted && r.mergeLoRA && task.loraConfiguration != nil {
            task.loraConfiguration = nil
            try exportMerged(task.tagger, task: task, out: r.outputDirectory)
        }
        return FineTuningResult(summary: summary, development: data.devSource, trainExamples: train.count, labels: labels.labels, notes: notes)
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
    static func prepare(_ model: any Module, request r: FineTuningRequest, headPrefix: String, lora: inout LoRAConfiguration?) throws {
        if r.freezeEmbeddings { model.freeze(["bert.embeddings."]) }
        if r.freezeLayers > 0 {
            model.freeze(["bert.embeddings."] + (0..<r.freezeLayers).map { "bert.encoder.layer.\($0)." })
        }
        if let config = r.lora {
            var rng = FinchRNG(seed: r.training.seed &+ 17)
            try model.applyLoRA(config, rng: &rng)
            model.freeze([headPrefix], frozen: false)
            lora = config
        }
    }

    /// After training with LoRA and `--merge`: folds the adapters into the
    /// weights and exports a plain checkpoint (no adapter files).
    static func exportMerged(_ model: any Module, task: some TrainingTask, out: URL) throws {
        model.mergeLoRA()
        let fm = FileManager.default
        for name in [LoRAFiles.weights, LoRAFiles.config] where fm.fileExists(atPath: out.appendingPathComponent(name).path) {
            try fm.removeItem(at: out.appendingPathComponent(name))
        }
        try task.saveModel(to: out)
    }

    /// "pos=2,neg=0.5" → weights in label order (unlisted labels 1).
    static func parseClassWeights(_ spec: String, labels: LabelSet) throws -> Tensor {
        var w = [Float](repeating: 1, count: labels.count)
        for part in spec.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let value = Float(kv[1]), value >= 0 else {
                throw TrainingError.invalidConfiguration(field: "class-weights", reason: "expected auto or LABEL=WEIGHT,…, got '\(part)'")
            }
            guard let id = labels.id(of: kv[0]) else {
                throw TrainingError.invalidConfiguration(field: "class-weights", reason: "unknown label '\(kv[0])'; labels are \(labels.labels.joined(separator: ", "))")
            }
            w[id] = value
        }
        return Tensor(w)
    }
}
