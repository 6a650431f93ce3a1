import ArgumentParser
import FinchNN
import FinchTensor
import FinchTrain
import FinchTransformers
import Foundation

/// The settings of one fine-tuning run: `finch train classify|ner`'s, and every trial's of
/// `finch tune classify|ner`.
struct FineTuningOptions: ParsableArguments {
    @Option(
        help:
            "Pretrained or fine-tuned model: a directory in Hugging Face layout, or hf:ORG/NAME[@revision] (train classify --head needs none)."
    )
    var model: String?
    @Option(help: "Training data file.") var train: String
    @Option(help: "Development data file. Without it a seeded 10 % of --train is held out.") var dev: String?
    @Option(
        help:
            "Output directory: the fine-tuned model, metrics.jsonl, training_curves.svg, and for finch train checkpoint/. Not --model or inside it."
    )
    var out: String
    @Option(help: "Passes over the training data.") var epochs = 3
    @Option(name: .customLong("batch-size"), help: "Examples per batch.") var batchSize = 16
    @Option(help: "Peak learning rate (AdamW).") var lr = 2e-5
    @Option(
        name: .customLong("max-length"),
        help: """
            Tokens per example, special tokens included, at most the model's position limit \
            (default: 128, capped at that limit); longer input is cut.
            """)
    var maxLength: Int?
    @Option(name: .customLong("warmup-ratio"), help: "Fraction of steps spent warming up the learning rate, in [0, 1).")
    var warmupRatio = 0.1
    @Option(name: .customLong("weight-decay"), help: "Decoupled weight decay (not applied to biases and LayerNorm weights).")
    var weightDecay = 0.01
    @Option(help: "Learning-rate schedule after warmup.") var schedule: ScheduleKind = .linear
    @Option(name: .customLong("max-grad-norm"), help: "Clip the global gradient norm to this (0 turns clipping off).") var maxGradNorm = 1.0
    @Option(name: .customLong("gradient-accumulation-steps"), help: "Batches per optimizer step.") var gradientAccumulationSteps = 1
    @Option(help: "Seed for shuffling, dropout, new weights and the hold-out split.") var seed: UInt64 = 42
    @Option(name: .customLong("eval-steps"), help: "Evaluate every N steps instead of every epoch.") var evalSteps: Int?
    @Option(name: .customLong("logging-steps"), help: "Write the running loss to metrics.jsonl every N steps.") var loggingSteps = 50
    @Option(name: .customLong("early-stopping-patience"), help: "Stop after N evaluations without improvement.") var earlyStoppingPatience:
        Int?
    @Option(
        name: .customLong("metric"),
        help: """
            Dev metric that picks the best model (classify: accuracy, macro_f1, weighted_f1, loss, \
            multi-label also micro_f1; ner: f1, precision, recall).
            """)
    var metric: TrainingMetric?
    @Flag(
        name: .customLong("length-bucketing"), inversion: .prefixedNo,
        help:
            "Batch examples of similar length: less padding, faster steps, sometimes a lower score (the Hugging Face Trainer's group_by_length). Off by default, as there."
    )
    var lengthBucketing = false
    @Flag(
        name: .customLong("export-last"),
        help: "Export the model after the last step instead of the best evaluation's (best/ is kept either way).") var exportLast = false
    @Option(name: .customLong("class-weights"), help: "Loss weights per label: auto (inverse frequency) or LABEL=W,LABEL=W.")
    var classWeights: ClassWeightsArgument?
    @Option(
        name: .customLong("lora-rank"), help: "Train LoRA adapters of this rank (at most the model's hidden size) instead of all weights.")
    var loraRank: Int?
    @Option(name: .customLong("lora-alpha"), help: "LoRA scaling numerator (default: 2 × rank).") var loraAlpha: Double?
    @Option(name: .customLong("lora-dropout"), help: "Dropout on the LoRA input, in [0, 1).") var loraDropout = 0.1
    @Option(name: .customLong("lora-targets"), help: "Comma-separated layer names to adapt.") var loraTargets = "query,value"
    @Flag(help: "With LoRA: fold the adapters into the exported weights.") var merge = false
    @Option(
        name: .customLong("freeze-layers"),
        help: "Freeze the embeddings and the lowest N encoder layers (at most the model's layer count).")
    var freezeLayers = 0
    @Flag(name: .customLong("freeze-embeddings"), help: "Freeze the embedding layer.") var freezeEmbeddings = false
    @Option(name: .customLong("adversarial-epsilon"), help: "FGM adversarial training on the word embeddings with this ε (> 0).")
    var adversarialEpsilon: Double?
    @Option(
        help: """
            Precision of the training passes' matrix products: fp32, or bf16 (operands rounded to bfloat16; sums, \
            weights, optimizer and evaluation stay fp32; about 1.5× faster steps on CPUs with AVX512_BF16, emulated \
            and no faster elsewhere).
            """)
    var precision: MatmulPrecision = .fp32

    /// Checks every value that needs neither the model's files nor the data.
    func validate() throws {
        guard maxGradNorm >= 0 && maxGradNorm.isFinite else {
            throw ValidationError("--max-grad-norm must be a number ≥ 0 (0 turns clipping off), got \(maxGradNorm)")
        }
        guard loraDropout >= 0 && loraDropout < 1 else { throw ValidationError("--lora-dropout must be in [0, 1), got \(loraDropout)") }
        if let a = loraAlpha, !(a > 0 && a.isFinite) { throw ValidationError("--lora-alpha must be a positive number, got \(a)") }
        guard let model else { return }  // the command says whether it needs one
        let reference = try ModelReference(parsing: model)
        let local: URL?
        if case .directory(let url) = reference { local = url } else { local = nil }
        let r = request(modelDirectory: local ?? URL(fileURLWithPath: model), defaultMetric: metric ?? .loss)
        try TrainingOptions.flagged {
            try r.validateSettings()
            if local != nil { try r.validateOutputDirectory() }
        }
    }

    /// The library request these settings describe, with `--model` resolved
    /// (downloaded once when it is an `hf:` reference).
    func request(defaultMetric: TrainingMetric) throws -> FineTuningRequest {
        guard let model else { throw ValidationError("Missing expected argument '--model <model>'") }
        if precision == .bf16 && !MatmulPrecision.bf16IsNative {
            FileHandle.standardError.write(
                Data("warning: this CPU has no AVX512_BF16: --precision bf16 is emulated (bf16's rounding, no faster than fp32)\n".utf8))
        }
        return request(modelDirectory: try ModelLocation.resolve(model), defaultMetric: defaultMetric)
    }

    func request(modelDirectory: URL, defaultMetric: TrainingMetric) -> FineTuningRequest {
        var r = FineTuningRequest(
            modelDirectory: modelDirectory, trainFile: URL(fileURLWithPath: train),
            outputDirectory: URL(fileURLWithPath: out))
        r.devFile = dev.map { URL(fileURLWithPath: $0) }
        var c = TrainingConfiguration()
        c.epochs = epochs
        c.batchSize = batchSize
        c.learningRate = lr
        c.warmupRatio = warmupRatio
        c.weightDecay = weightDecay
        c.schedule = schedule
        c.maxGradNorm = maxGradNorm > 0 ? maxGradNorm : nil
        c.gradientAccumulationSteps = gradientAccumulationSteps
        c.seed = seed
        c.evaluation = evalSteps.map { .steps($0) } ?? .epoch
        c.loggingSteps = loggingSteps
        c.earlyStoppingPatience = earlyStoppingPatience
        c.metricForBestModel = metric ?? defaultMetric
        c.adversarialEpsilon = adversarialEpsilon
        c.exportBestModel = !exportLast
        c.lengthBucketing = lengthBucketing
        c.precision = precision == .fp32 ? nil : precision
        r.training = c
        r.maxLength = maxLength
        r.classWeights = classWeights?.weighting
        if let rank = loraRank {
            r.lora = LoRAConfiguration(
                rank: rank, alpha: Float(loraAlpha ?? Double(2 * rank)), dropout: Float(loraDropout),
                targetModules: loraTargets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        r.mergeLoRA = merge
        r.freezeLayers = freezeLayers
        r.freezeEmbeddings = freezeEmbeddings
        return r
    }

    /// `train ner` and `tune ner`: a model is named, and --metric is an entity-level one.
    func validateForTagger() throws {
        guard model != nil else { throw ValidationError("Missing expected argument '--model <model>'") }
        if let metric, !TrainingMetric.entities.contains(metric) {
            throw ValidationError(
                "--metric \(metric.rawValue) is not an entity-level metric; a tagger reports "
                    + TrainingMetric.entities.map(\.rawValue).joined(separator: ", "))
        }
    }
}

/// Options shared by `finch train classify` and `finch train ner`: the run's settings, and how it
/// resumes, where it is recorded and across how many processes.
struct TrainingOptions: ParsableArguments {
    @OptionGroup var settings: FineTuningOptions
    @Flag(help: "Continue from the checkpoint in --out (after an interruption); an error when there is none.") var resume = false
    @Flag(name: .customLong("resume-or-start"), help: "Continue from the checkpoint in --out when there is one, else start from step 0.")
    var resumeOrStart = false
    @Option(
        name: .customLong("checkpoint-steps"),
        help: "Also write the resumable checkpoint every N optimizer steps (default: at each evaluation and at the end).")
    var checkpointSteps: Int?
    @OptionGroup var runs: RunsOption
    @OptionGroup(title: "Several processes") var distributed: DistributedOptions
    @Option(
        name: .customLong("bucket-mb"),
        help: "With --distributed mpi: gradients are summed across ranks in messages of at most this many megabytes.")
    var bucketMB = 25.0

    var model: String? { settings.model }
    var train: String { settings.train }
    var dev: String? { settings.dev }
    var out: String { settings.out }
    var seed: UInt64 { settings.seed }
    var maxLength: Int? { settings.maxLength }
    var metric: TrainingMetric? { settings.metric }

    /// Checks what the settings' own check leaves: resuming, checkpoints, processes.
    func validate() throws {
        guard !(resume && resumeOrStart) else { throw ValidationError("--resume and --resume-or-start exclude each other; give one") }
        guard bucketMB > 0 && bucketMB.isFinite else { throw ValidationError("--bucket-mb must be a positive number, got \(bucketMB)") }
        if let n = checkpointSteps, n <= 0 { throw ValidationError("--checkpoint-steps must be at least 1") }
    }

    /// The library request these options describe, with `--model` resolved
    /// (downloaded once when it is an `hf:` reference).
    func request(defaultMetric: TrainingMetric) throws -> FineTuningRequest {
        var r = try settings.request(defaultMetric: defaultMetric)
        r.training.checkpointSteps = checkpointSteps
        r.resume = resume ? .required : resumeOrStart ? .ifPresent : .fresh
        if let communicator = try distributed.communicatorIfAsked() {
            r.dataParallel = DataParallel(communicator: communicator, bucketBytes: Int(bucketMB * 1_048_576))
        }
        return r
    }

    /// The fine-tuning flags that were given although a classical head trains
    /// instead (only those that differ from their default can be told apart).
    var fineTuningGiven: [String] {
        var out: [String] = []
        if settings.model != nil { out.append("--model") }
        if settings.loraRank != nil { out.append("--lora-rank") }
        if settings.evalSteps != nil { out.append("--eval-steps") }
        if settings.earlyStoppingPatience != nil { out.append("--early-stopping-patience") }
        if settings.classWeights != nil { out.append("--class-weights") }
        if settings.adversarialEpsilon != nil { out.append("--adversarial-epsilon") }
        if settings.exportLast { out.append("--export-last") }
        if resume { out.append("--resume") }
        if resumeOrStart { out.append("--resume-or-start") }
        if settings.freezeEmbeddings { out.append("--freeze-embeddings") }
        if settings.merge { out.append("--merge") }
        if settings.lengthBucketing { out.append("--length-bucketing") }
        if distributed.distributed != nil { out.append("--distributed") }
        if checkpointSteps != nil { out.append("--checkpoint-steps") }
        return out
    }

    /// Runs `body`, turning a library error about a setting into one about its flag.
    static func flagged<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch TrainingError.invalidConfiguration(let setting, let reason) {
            guard let flag = flag(for: setting) else { throw TrainingError.invalidConfiguration(setting: setting, reason: reason) }
            throw ValidationError("\(flag) \(reason)")
        }
    }

    /// The flag that sets `setting`, or nil when none does.
    static func flag(for setting: TrainingSetting) -> String? {
        switch setting {
        case .epochs: return "--epochs"
        case .batchSize: return "--batch-size"
        case .learningRate: return "--lr"
        case .warmupRatio: return "--warmup-ratio"
        case .weightDecay: return "--weight-decay"
        case .maxGradNorm: return "--max-grad-norm"
        case .gradientAccumulationSteps: return "--gradient-accumulation-steps"
        case .evaluationSteps: return "--eval-steps"
        case .loggingSteps: return "--logging-steps"
        case .earlyStoppingPatience: return "--early-stopping-patience"
        case .metric: return "--metric"
        case .adversarialEpsilon: return "--adversarial-epsilon"
        case .maxLength: return "--max-length"
        case .classWeights: return "--class-weights"
        case .loraRank: return "--lora-rank"
        case .loraAlpha: return "--lora-alpha"
        case .loraDropout: return "--lora-dropout"
        case .loraTargets: return "--lora-targets"
        case .freezeLayers: return "--freeze-layers"
        case .outputDirectory: return "--out"
        case .resume: return "--resume"
        case .checkpointSteps: return "--checkpoint-steps"
        case .warmupSteps, .adam, .holdOut: return nil
        }
    }
}

extension TrainingMetric: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}
extension MatmulPrecision: ExpressibleByArgument {}
extension WordBoundary: ExpressibleByArgument {}
extension ClassifierPooling: ExpressibleByArgument {}

/// `--class-weights`: `auto`, or `LABEL=W,LABEL=W` with weights ≥ 0.
struct ClassWeightsArgument: ExpressibleByArgument {
    let weighting: ClassWeighting

    init?(argument: String) {
        if argument == "auto" {
            weighting = .balanced
            return
        }
        var weights: [LabelWeight] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty, let w = Double(kv[1]), w >= 0, w.isFinite else { return nil }
            weights.append(LabelWeight(label: kv[0], weight: w))
        }
        weighting = .perLabel(weights)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
