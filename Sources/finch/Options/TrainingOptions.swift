import ArgumentParser
import FinchNN
import FinchTrain
import Foundation

/// Options shared by `finch train classify` and `finch train ner`.
struct TrainingOptions: ParsableArguments {
    @Option(help: "Pretrained or fine-tuned model: a directory in Hugging Face layout, or hf:ORG/NAME[@revision].") var model: String
    @Option(help: "Training data file.") var train: String
    @Option(help: "Development data file. Without it a seeded 10 % of --train is held out.") var dev: String?
    @Option(help: "Output directory: the fine-tuned model, checkpoint/, metrics.jsonl, training_curves.svg.") var out: String
    @Option(help: "Passes over the training data.") var epochs = 3
    @Option(name: .customLong("batch-size"), help: "Examples per batch.") var batchSize = 16
    @Option(help: "Peak learning rate (AdamW).") var lr = 2e-5
    @Option(name: .customLong("max-length"), help: "Tokens per example, special tokens included; longer input is cut.") var maxLength = 128
    @Option(name: .customLong("warmup-ratio"), help: "Fraction of steps spent warming up the learning rate.") var warmupRatio = 0.1
    @Option(name: .customLong("weight-decay"), help: "Decoupled weight decay (not applied to biases and LayerNorm weights).") var weightDecay = 0.01
    @Option(help: "Learning-rate schedule after warmup: linear, cosine or constant.") var schedule: String = "linear"
    @Option(name: .customLong("max-grad-norm"), help: "Clip the global gradient norm to this (0 turns clipping off).") var maxGradNorm = 1.0
    @Option(name: .customLong("gradient-accumulation-steps"), help: "Batches per optimizer step.") var gradientAccumulationSteps = 1
    @Option(help: "Seed for shuffling, dropout, new weights and the hold-out split.") var seed: UInt64 = 42
    @Option(name: .customLong("eval-steps"), help: "Evaluate every N steps instead of every epoch.") var evalSteps: Int?
    @Option(name: .customLong("logging-steps"), help: "Write the running loss to metrics.jsonl every N steps.") var loggingSteps = 50
    @Option(name: .customLong("early-stopping-patience"), help: "Stop after N evaluations without improvement.") var earlyStoppingPatience: Int?
    @Option(name: .customLong("metric"), help: "Dev metric that picks the best model (classify: accuracy, macro_f1, weighted_f1, loss; ner: f1, precision, recall).") var metric: String?
    @Flag(name: .customLong("length-bucketing"), inversion: .prefixedNo,
          help: "Batch examples of similar length: less padding, faster steps, sometimes a lower score (the Hugging Face Trainer's group_by_length). Off by default, as there.")
    var lengthBucketing = false
    @Flag(name: .customLong("export-last"), help: "Export the model after the last step instead of the best evaluation's (best/ is kept either way).") var exportLast = false
    @Option(name: .customLong("class-weights"), help: "Loss weights per label: auto (inverse frequency) or LABEL=W,LABEL=W.") var classWeights: String?
    @Option(name: .customLong("lora-rank"), help: "Train LoRA adapters of this rank instead of all weights.") var loraRank: Int?
    @Option(name: .customLong("lora-alpha"), help: "LoRA scaling numerator (default: 2 × rank).") var loraAlpha: Double?
    @Option(name: .customLong("lora-dropout"), help: "Dropout on the LoRA input.") var loraDropout = 0.1
    @Option(name: .customLong("lora-targets"), help: "Comma-separated layer names to adapt.") var loraTargets = "query,value"
    @Flag(help: "With LoRA: fold the adapters into the exported weights.") var merge = false
    @Option(name: .customLong("freeze-layers"), help: "Freeze the embeddings and the lowest N encoder layers.") var freezeLayers = 0
    @Flag(name: .customLong("freeze-embeddings"), help: "Freeze the embedding layer.") var freezeEmbeddings = false
    @Option(name: .customLong("adversarial-epsilon"), help: "FGM adversarial training on the word embeddings with this ε.") var adversarialEpsilon: Double?
    @Flag(help: "Continue from the checkpoint in --out (after an interruption).") var resume = false

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be at least 1") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        guard lr > 0 else { throw ValidationError("--lr must be positive") }
        guard maxLength >= 4 else { throw ValidationError("--max-length must be at least 4") }
        guard ScheduleKind(rawValue: schedule) != nil else { throw ValidationError("--schedule must be linear, cosine or constant") }
        if let r = loraRank, r <= 0 { throw ValidationError("--lora-rank must be positive") }
        guard freezeLayers >= 0 else { throw ValidationError("--freeze-layers must not be negative") }
    }

    /// The library request these options describe.
    func request(defaultMetric: String) throws -> FineTuningRequest {
        var r = FineTuningRequest(modelDirectory: try ModelLocation.resolve(model), trainFile: URL(fileURLWithPath: train),
                                  outputDirectory: URL(fileURLWithPath: out))
        r.devFile = dev.map { URL(fileURLWithPath: $0) }
        var c = TrainingConfiguration()
        c.epochs = epochs
        c.batchSize = batchSize
        c.learningRate = lr
        c.warmupRatio = warmupRatio
        c.weightDecay = weightDecay
        c.schedule = ScheduleKind(rawValue: schedule) ?? .linear
        c.maxGradNorm = maxGradNorm > 0 ? maxGradNorm : nil
        c.gradientAccumulationSteps = gradientAccumulationSteps
        c.seed = seed
        c.evaluation = evalSteps.map { .steps($0) } ?? .epoch
        c.loggingSteps = loggingSteps
        c.earlyStoppingPatience = earlyStoppingPatience
        c.metricForBestModel = metric ?? defaultMetric
        c.greaterIsBetter = c.metricForBestModel != "loss"
        c.adversarialEpsilon = adversarialEpsilon
        c.exportBestModel = !exportLast
        c.lengthBucketing = lengthBucketing
        r.training = c
        r.maxLength = maxLength
        r.classWeights = classWeights
        if let rank = loraRank {
            r.lora = LoRAConfiguration(rank: rank, alpha: Float(loraAlpha ?? Double(2 * rank)), dropout: Float(loraDropout),
                                       targetModules: loraTargets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        r.mergeLoRA = merge
        r.freezeLayers = freezeLayers
        r.freezeEmbeddings = freezeEmbeddings
        r.resume = resume
        return r
    }
}
