import ArgumentParser
import FinchSupport
import FinchTrain
import FinchTransformers
import Foundation

/// `finch distill`: a smaller classifier trained on a fine-tuned one's soft labels.
struct Distill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distil a fine-tuned text classifier or a sentence embedder into a smaller student (DistilBERT's recipe).",
        discussion: """
            The student is the teacher with fewer layers: the same embeddings, pooler and head, and layer k \
            starting as teacher layer k·⌊N/L⌋ (every other layer when it has half the layers: 6 → 3 keeps \
            0, 2, 4); the teacher only runs forward. A classifier teacher: the student trains on the labelled \
            --train file with the loss alpha·T²·KL(teacher ‖ student at temperature T) + (1 − alpha)·cross-entropy \
            with the true labels, and --out receives a plain classifier folder (predict, evaluate and serve take \
            it); evaluations also report teacher_kl and teacher_agreement. A sentence-transformers teacher \
            (a folder with modules.json): --train holds plain text, one per line, and the student learns the \
            teacher's sentence vectors (mean squared error; evaluations report loss and cosine); --out receives \
            a sentence-transformers folder (embed and search take it). Either way --out also gets metrics.jsonl, \
            training_curves.svg and a model card. Interrupt with Ctrl-C and continue with --resume.
            """)

    @Option(
        help:
            "The model to distil: a classifier folder written by finch train classify (or transformers), or a sentence-transformers folder."
    )
    var teacher: String
    @Option(
        help:
            "Training data: CSV, TSV or JSONL with a text and a label column (the teacher's labels); for an embedder, plain text, one per line."
    )
    var train: String
    @Option(help: "Development data file. Without it a seeded 10 % of --train is held out.") var dev: String?
    @Option(help: "Output directory: the student, checkpoint/, metrics.jsonl, training_curves.svg. Not --teacher or inside it.")
    var out: String
    @Option(help: "The student's layers, 1 to the teacher's (default: half the teacher's, rounded up).") var layers: Int?
    @Option(help: "Classifiers: softmax temperature of the soft labels (> 0).") var temperature = 2.0
    @Option(help: "Classifiers: weight of the soft-label term in [0, 1]; 1 − alpha weighs the true labels.") var alpha = 0.5
    @Option(help: "Passes over the training data.") var epochs = 3
    @Option(name: .customLong("batch-size"), help: "Examples per batch.") var batchSize = 16
    @Option(help: "Peak learning rate (AdamW).") var lr = 5e-5
    @Option(
        name: .customLong("max-length"),
        help: """
            Tokens per example, special tokens included (default: the teacher's training length; \
            embedders: 128, capped at the teacher's max_seq_length); longer input is cut.
            """)
    var maxLength: Int?
    @Option(name: .customLong("warmup-ratio"), help: "Fraction of steps spent warming up the learning rate, in [0, 1).")
    var warmupRatio = 0.1
    @Option(name: .customLong("weight-decay"), help: "Decoupled weight decay (not applied to biases and LayerNorm weights).")
    var weightDecay = 0.01
    @Option(help: "Seed for shuffling, dropout and the hold-out split.") var seed: UInt64 = 42
    @Option(name: .customLong("eval-steps"), help: "Evaluate every N steps instead of every epoch.") var evalSteps: Int?
    @Option(name: .customLong("logging-steps"), help: "Write the running loss to metrics.jsonl every N steps.") var loggingSteps = 50
    @Option(name: .customLong("early-stopping-patience"), help: "Stop after N evaluations without improvement.")
    var earlyStoppingPatience: Int?
    @Option(help: "Dev metric that picks the best student: accuracy, macro_f1, weighted_f1 or loss (embedders: loss).") var metric:
        TrainingMetric?
    @Option(name: .customLong("text-column"), help: "Column with the text.") var textColumn = "text"
    @Option(name: .customLong("text-pair-column"), help: "Column with a second text (pairs: NLI, question/answer).")
    var textPairColumn: String?
    @Option(name: .customLong("label-column"), help: "Column with the label.") var labelColumn = "label"
    @Flag(help: "Continue from the checkpoint in --out (after an interruption); an error when there is none.") var resume = false

    func validate() throws {
        if let layers, layers < 1 { throw ValidationError("--layers must be at least 1, got \(layers)") }
        guard temperature > 0 && temperature.isFinite else {
            throw ValidationError("--temperature must be a positive number, got \(temperature)")
        }
        guard alpha >= 0 && alpha <= 1 else { throw ValidationError("--alpha must be in [0, 1], got \(alpha)") }
        let local: Bool
        if case .directory = try ModelReference(parsing: teacher) { local = true } else { local = false }
        let kind = local ? DistillationKind(teacher: URL(fileURLWithPath: teacher)) : .classifier
        try check(metric: metric, for: kind)
        let r = request(teacherDirectory: URL(fileURLWithPath: teacher), kind: kind).fineTuning
        try TrainingOptions.flagged {
            try r.validateSettings()
            if local { try r.validateOutputDirectory() }
        }
    }

    @OptionGroup var runs: RunsOption

    func run() throws {
        let directory = try ModelLocation.resolve(teacher)
        let kind = DistillationKind(teacher: directory)
        try check(metric: metric, for: kind)
        let request = request(teacherDirectory: directory, kind: kind)
        switch kind {
        case .classifier:
            try TrainingRun.execute(
                request: request.fineTuning, task: .classification, baseModel: teacher, runs: runs, kind: "distill"
            ) { _, stop, events in
                try Distillation.classify(request, stop: stop, events: events)
            }
        case .embedder:
            let card = { (result: FineTuningResult, seconds: Double) in
                let out = request.fineTuning.outputDirectory
                try TrainingRunRecord.embeddingDistillation(
                    request: request, result: result, baseModel: teacher, command: Card.commandLine, seconds: seconds,
                    finchVersion: FinchVersion.string
                ).write(to: out)
                let outcome = try EmbeddingCard.write(to: out, finchVersion: FinchVersion.string)
                ProgressBar.write("model card written to \(outcome.url.path)\n")
            }
            try TrainingRun.execute(
                request: request.fineTuning, task: .classification, baseModel: teacher, runs: runs, kind: "distill", card: card
            ) { _, stop, events in
                try Distillation.embed(request, stop: stop, events: events)
            }
        }
    }

    /// An embedder's student is chosen by `loss` only; a classifier's by any classification metric.
    func check(metric: TrainingMetric?, for kind: DistillationKind) throws {
        guard let metric else { return }
        let allowed: [TrainingMetric] = kind == .embedder ? [.loss] : TrainingMetric.classification
        if !allowed.contains(metric) {
            let what = kind == .embedder ? "an embedder's distillation" : "a classifier"
            throw ValidationError(
                "--metric \(metric.rawValue) is not reported by \(what); choose " + allowed.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// The library request these options describe.
    func request(teacherDirectory: URL, kind: DistillationKind) -> DistillationRequest {
        var r = DistillationRequest(
            teacherDirectory: teacherDirectory, trainFile: URL(fileURLWithPath: train), outputDirectory: URL(fileURLWithPath: out))
        r.layers = layers
        r.temperature = temperature
        r.alpha = alpha
        r.fineTuning.devFile = dev.map { URL(fileURLWithPath: $0) }
        r.fineTuning.maxLength = maxLength
        r.fineTuning.columns = ClassificationColumns(text: textColumn, textPair: textPairColumn, label: labelColumn)
        r.fineTuning.resume = resume ? .required : .fresh
        var c = r.fineTuning.training
        c.epochs = epochs
        c.batchSize = batchSize
        c.learningRate = lr
        c.warmupRatio = warmupRatio
        c.weightDecay = weightDecay
        c.seed = seed
        c.evaluation = evalSteps.map { .steps($0) } ?? .epoch
        c.loggingSteps = loggingSteps
        c.earlyStoppingPatience = earlyStoppingPatience
        c.metricForBestModel = metric ?? (kind == .embedder ? .loss : .accuracy)
        r.fineTuning.training = c
        return r
    }
}
