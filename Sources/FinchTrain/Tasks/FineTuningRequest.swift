import FinchNN
import FinchTransformers
import Foundation

/// Everything `finch train classify|ner` asks for, as one value.
public struct FineTuningRequest: Sendable {
    /// The pretrained (or fine-tuned) model to start from, in Hugging Face layout.
    public var modelDirectory: URL
    /// Training data (CSV/TSV/JSONL for classification, CoNLL for NER).
    public var trainFile: URL
    /// Development data; nil holds out `holdOut` of the training file.
    public var devFile: URL?
    /// Where the model, checkpoint, metrics and curves go; never the model directory or inside it.
    public var outputDirectory: URL
    /// Optimizer, schedule, evaluation and checkpoint settings.
    public var training = TrainingConfiguration()
    /// Tokens per example, special tokens included (at most the model's
    /// position limit); nil: `defaultMaxLength`, capped at that limit.
    public var maxLength: Int? = nil
    /// The length used when `maxLength` is nil and the model allows it.
    public static let defaultMaxLength = 128
    /// Classification: the text, text-pair and label columns.
    public var columns = ClassificationColumns()
    /// Per-label loss weights (nil: plain cross-entropy).
    public var classWeights: ClassWeighting?
    /// Train LoRA adapters instead of all weights (nil: full fine-tuning).
    public var lora: LoRAConfiguration?
    /// With LoRA: fold the adapters into the exported weights.
    public var mergeLoRA = false
    /// Freeze the embedding layer.
    public var freezeEmbeddings = false
    /// Freeze the embeddings and the lowest N encoder layers.
    public var freezeLayers = 0
    /// NER: word-boundary rule; nil chooses automatically.
    public var wordBoundary: WordBoundary?
    /// Whether to continue from the checkpoint in `outputDirectory`.
    public var resume = ResumeMode.fresh
    /// Fraction held out when there is no dev file.
    public var holdOut = 0.1
    /// Classification: each label field holds several labels joined by `labelSeparator`.
    public var multiLabel = false
    /// Multi-label: the separator between labels.
    public var labelSeparator = "|"
    /// Classification: what the head reads; nil: the model's own (a fine-tuned
    /// classifier's), else BERT's pooler, drawn new when the checkpoint has none.
    public var pooling: ClassifierPooling?
    /// Train data-parallel across ranks (nil: one process). Only rank 0 writes files.
    public var dataParallel: DataParallel? = nil
    /// False on the ranks of a data-parallel job that write no file.
    var isWriter: Bool { dataParallel?.isWriter ?? true }

    /// A request with the defaults for everything but the three places.
    public init(modelDirectory: URL, trainFile: URL, outputDirectory: URL) {
        self.modelDirectory = modelDirectory
        self.trainFile = trainFile
        self.outputDirectory = outputDirectory
    }

    /// Checks what needs neither the model nor the data: `validateSettings()`
    /// and `validateOutputDirectory()`.
    ///
    /// - Throws: `TrainingError.invalidConfiguration` naming the setting and its range.
    public func validate() throws {
        try validateSettings()
        try validateOutputDirectory()
    }

    /// Checks that the output directory is not the model directory or inside it.
    ///
    /// - Throws: `TrainingError.invalidConfiguration` for `.outputDirectory`.
    public func validateOutputDirectory() throws {
        let model = Self.canonicalPath(modelDirectory), out = Self.canonicalPath(outputDirectory)
        guard out != model && !out.hasPrefix(model + "/") else {
            throw TrainingError.invalidConfiguration(
                setting: .outputDirectory,
                reason: "must not be the model directory or inside it (\(modelDirectory.path)):"
                    + " training would overwrite the model it reads")
        }
    }

    /// Checks the settings' ranges: the training configuration, the length,
    /// LoRA, freezing, class weights and the hold-out fraction.
    ///
    /// - Throws: `TrainingError.invalidConfiguration` naming the setting and its range.
    public func validateSettings() throws {
        try training.validate()
        func check(_ ok: Bool, _ setting: TrainingSetting, _ why: String) throws {
            if !ok { throw TrainingError.invalidConfiguration(setting: setting, reason: why) }
        }
        try check(maxLength.map { $0 >= 4 } ?? true, .maxLength, "must be at least 4")
        try check(holdOut > 0 && holdOut < 1, .holdOut, "must be in (0, 1)")
        try check(freezeLayers >= 0, .freezeLayers, "must not be negative")
        if let lora {
            try check(lora.rank > 0, .loraRank, "must be at least 1")
            try check(lora.alpha > 0 && lora.alpha.isFinite, .loraAlpha, "must be a positive number")
            try check(lora.dropout >= 0 && lora.dropout < 1, .loraDropout, "must be in [0, 1)")
            try check(
                !lora.targetModules.isEmpty && lora.targetModules.allSatisfy { !$0.isEmpty }, .loraTargets,
                "must name at least one module")
        }
        if case .perLabel(let weights) = classWeights {
            for w in weights {
                try check(w.weight >= 0 && w.weight.isFinite, .classWeights, "the weight of '\(w.label)' must be a number ≥ 0")
            }
        }
    }

    /// Checks the settings that depend on the model: the length against its
    /// position limit, the LoRA rank against its hidden size, the frozen
    /// layers against its layer count.
    ///
    /// - Returns: the length to train with: `maxLength`, or without one
    ///   `defaultMaxLength` capped at the position limit.
    /// - Throws: `TrainingError.invalidConfiguration` naming the setting and the model's limit.
    @discardableResult
    public func validate(against config: BertConfig) throws -> Int {
        func check(_ ok: Bool, _ setting: TrainingSetting, _ why: String) throws {
            if !ok { throw TrainingError.invalidConfiguration(setting: setting, reason: why) }
        }
        let limit = config.maxPositionEmbeddings
        try check(
            maxLength.map { $0 <= limit } ?? true, .maxLength,
            "must be at most \(limit), the model's position limit (max_position_embeddings)")
        if let lora {
            try check(lora.rank <= config.hiddenSize, .loraRank, "must be at most \(config.hiddenSize), the model's hidden size")
        }
        try check(
            freezeLayers <= config.numHiddenLayers, .freezeLayers,
            "must be at most \(config.numHiddenLayers), the model's number of layers")
        return maxLength ?? Swift.min(Self.defaultMaxLength, limit)
    }

    /// An absolute path with symbolic links, `.` and `..` resolved (as far as the path exists).
    static func canonicalPath(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        var path = existing.resolvingSymlinksInPath().path
        for component in rest { path += (path.hasSuffix("/") ? "" : "/") + component }
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

/// What a fine-tuning run reports besides its events.
public struct FineTuningResult: Sendable {
    /// How the Trainer's run ended.
    public var summary: TrainingSummary
    /// Where the development examples came from.
    public var development: DevelopmentSource
    /// Examples trained on.
    public var trainExamples: Int
    /// The labels (or tags), in the model's order.
    public var labels: [String]
    /// Notes for the user (automatic choices made).
    public var notes: [String]
    /// Settings of the recipe beyond the request's (name → value), for the run record.
    public var settings: [String: String] = [:]
}
