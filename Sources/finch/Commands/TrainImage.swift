import ArgumentParser
import FinchSupport
import FinchTrain
import FinchVision
import Foundation

struct TrainImage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Train an image classifier (LeNet or ResNet-8) from scratch.",
        discussion: """
            Reads PNG or JPEG images from a folder per class (DIR/cat/*.png, torchvision's ImageFolder \
            layout; classes are the folder names, sorted) or from a CSV list with columns path,label \
            (paths relative to the list). Every image is decoded once, scaled to the input size and \
            normalised with the training images' per-channel mean and std. Writes config.json \
            (architecture, classes, input size, normalisation) and model.safetensors (PyTorch's keys) \
            to --out with metrics.jsonl, training_curves.svg, checkpoint/ and a model card, and prints \
            the classification report. Interrupt with Ctrl-C and continue with --resume.
            """)

    @Option(help: "Training images: a folder per class, or a CSV list path,label.") var data: String
    @Option(help: "Development images (same layouts). Without it a seeded, stratified 10 % of --data is held out.") var dev: String?
    @Option(help: "Network: lenet or resnet8.") var model: ImageArchitecture = .lenet
    @Option(help: "Output directory: config.json, model.safetensors, checkpoint/, metrics.jsonl, training_curves.svg.") var out: String
    @Option(name: .customLong("image-size"), help: "Input height and width in pixels (default: the first training image's).")
    var imageSize: Int?
    @Option(help: "gray or rgb (default: the first training image's).") var color: ImageColorMode?
    @Option(help: "Passes over the training data.") var epochs = 10
    @Option(name: .customLong("batch-size"), help: "Images per batch.") var batchSize = 32
    @Option(help: "adamw or sgd (with --momentum).") var optimizer: OptimizerKind = .adamw
    @Option(help: "Peak learning rate.") var lr = 1e-3
    @Option(help: "SGD momentum, in [0, 1).") var momentum = 0.9
    @Option(name: .customLong("weight-decay"), help: "AdamW's decoupled weight decay, or SGD's L2 penalty.") var weightDecay = 0.0
    @Option(help: "Learning-rate schedule: constant, linear or cosine.") var schedule: ScheduleKind = .constant
    @Option(name: .customLong("warmup-ratio"), help: "Fraction of steps spent warming up the learning rate, in [0, 1).")
    var warmupRatio = 0.0
    @Option(name: .customLong("max-grad-norm"), help: "Clip the global gradient norm to this (0: no clipping).") var maxGradNorm = 0.0
    @Option(name: .customLong("crop-padding"), help: "Augment with random crops after padding by N pixels (0: off).") var cropPadding = 0
    @Flag(name: .customLong("flip"), help: "Augment by mirroring half the images left to right.") var flip = false
    @Option(help: "Seed for the weights, the batch order, augmentation and the hold-out split.") var seed: UInt64 = 42
    @Option(name: .customLong("eval-steps"), help: "Evaluate every N steps instead of every epoch.") var evalSteps: Int?
    @Option(name: .customLong("logging-steps"), help: "Write the running loss to metrics.jsonl every N steps.") var loggingSteps = 50
    @Option(name: .customLong("early-stopping-patience"), help: "Stop after N evaluations without improvement.")
    var earlyStoppingPatience: Int?
    @Option(help: "Dev metric that picks the best model: accuracy, macro_f1, weighted_f1 or loss.") var metric: TrainingMetric = .accuracy
    @Flag(help: "Continue from the checkpoint in --out (after an interruption); an error when there is none.") var resume = false
    @Flag(name: .customLong("resume-or-start"), help: "Continue from the checkpoint in --out when there is one, else start from step 0.")
    var resumeOrStart = false
    @OptionGroup var runs: RunsOption

    func validate() throws {
        guard !(resume && resumeOrStart) else { throw ValidationError("--resume and --resume-or-start exclude each other; give one") }
        guard (0..<1).contains(momentum) else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        guard cropPadding >= 0 else { throw ValidationError("--crop-padding must not be negative, got \(cropPadding)") }
        guard maxGradNorm >= 0 && maxGradNorm.isFinite else { throw ValidationError("--max-grad-norm must be a number ≥ 0") }
        if let size = imageSize, size < 4 { throw ValidationError("--image-size must be at least 4, got \(size)") }
        guard TrainingMetric.classification.contains(metric) else {
            throw ValidationError(
                "--metric \(metric.rawValue) is not reported by an image classifier; choose one of "
                    + TrainingMetric.classification.map(\.rawValue).joined(separator: ", "))
        }
        try TrainingOptions.flagged { try request.training.validate() }
    }

    var request: ImageTrainingRequest {
        var r = ImageTrainingRequest(data: data, outputDirectory: URL(fileURLWithPath: out))
        r.dev = dev
        r.architecture = model
        r.imageSize = imageSize
        r.colorMode = color
        r.augmentation = ImageAugmentation(cropPadding: cropPadding, horizontalFlip: flip)
        var c = TrainingConfiguration()
        c.epochs = epochs
        c.batchSize = batchSize
        c.learningRate = lr
        c.optimizer = optimizer
        c.sgdMomentum = optimizer == .sgd ? momentum : nil
        c.weightDecay = weightDecay
        c.schedule = schedule
        c.warmupRatio = warmupRatio
        c.maxGradNorm = maxGradNorm > 0 ? maxGradNorm : nil
        c.seed = seed
        c.evaluation = evalSteps.map { .steps($0) } ?? .epoch
        c.loggingSteps = loggingSteps
        c.earlyStoppingPatience = earlyStoppingPatience
        c.metricForBestModel = metric
        r.training = c
        r.resume = resume ? .required : resumeOrStart ? .ifPresent : .fresh
        return r
    }

    /// Records the run in the run store from its start to its end, and trains.
    func run() throws {
        let r = request
        let recorder = try runs.begin { try runStart(r) }
        do {
            try train(r, recorder: recorder)
        } catch {
            RunTracking.fail(recorder, error)
            throw error
        }
    }

    /// The run's start: the configuration and the image settings, the data's SHA-256 (of every file in a folder).
    func runStart(_ r: ImageTrainingRequest) throws -> RunStart {
        var p = r.training.runParameters
        p["architecture"] = model.rawValue
        p["data"] = data
        if let dev { p["dev"] = dev }
        p["out"] = out
        if let imageSize { p["image_size"] = String(imageSize) }
        if let color { p["color"] = color.rawValue }
        p["crop_padding"] = String(cropPadding)
        p["flip"] = String(flip)
        if r.resume != .fresh { p["resume"] = String(describing: r.resume) }
        return RunStart(
            kind: "train-image", model: model.rawValue, command: Card.commandLine, outputDirectory: r.outputDirectory.path,
            parameters: p, dataHashes: try RunTracking.hashes([("data", data), ("dev", dev)]), bestMetric: metric.rawValue)
    }

    func train(_ r: ImageTrainingRequest, recorder: RunRecorder?) throws {
        let start = ContinuousClock.now
        let render = TrainingRun.progress()
        var bar: ProgressBar?
        let result = try TrainingRun.withStopSignal { stop in
            try TrainingOptions.flagged {
                try ImageTraining.train(
                    r, stop: stop,
                    decoding: { done, total in
                        if bar == nil { bar = ProgressBar(total: total, label: "decode") }
                        bar?.update(done, details: "\(done)/\(total) images", secondsRemaining: nil)
                        if done == total { bar?.finish() }
                    },
                    events: { event in
                        recorder?.observe(event)
                        render(event)
                    })
            }
        }
        try StandardOutput.line(result.development.summary + (dev == nil ? " (--dev)" : ""))
        for note in result.notes { try StandardOutput.line("note: \(note)") }
        let finalMetrics = result.summary.lastEvaluation?.metrics ?? [:]
        if result.summary.interrupted {
            try RunTracking.finish(recorder, .interrupted, finalMetrics: finalMetrics, folder: r.outputDirectory)
            try StandardOutput.line("interrupted after \(result.summary.steps) steps; continue with --resume")
            throw ExitCode(130)
        }
        if let e = result.summary.lastEvaluation {
            try StandardOutput.line("\nevaluation after the last epoch:\n")
            try StandardOutput.line(e.report)
        }
        if let best = result.summary.bestMetric, let step = result.summary.bestStep {
            try StandardOutput.line(String(format: "best %@ %.4f at step %d; model written to %@", metric.rawValue, best, step, out))
        }
        try Card.afterTraining(folder: r.outputDirectory, run: try record(result, seconds: Card.seconds(since: start)))
        try RunTracking.finish(recorder, .finished, finalMetrics: finalMetrics, folder: r.outputDirectory)
    }

    /// What the model card records about the run.
    func record(_ result: ImageTrainingResult, seconds: Double) throws -> TrainingRunRecord {
        let p = result.config.preprocessing
        var settings: [String: String] = [
            "architecture": model.rawValue, "epochs": String(epochs), "batch_size": String(batchSize), "optimizer": optimizer.rawValue,
            "learning_rate": String(lr), "schedule": schedule.rawValue, "weight_decay": String(weightDecay), "seed": String(seed),
            "metric_for_best_model": metric.rawValue, "steps": String(result.summary.steps), "image_size": "\(p.height)x\(p.width)",
            "color_mode": p.colorMode.rawValue, "crop_padding": String(cropPadding), "flip": String(flip),
        ]
        if optimizer == .sgd { settings["momentum"] = String(momentum) }
        let curves = URL(fileURLWithPath: out).appendingPathComponent("training_curves.svg")
        return TrainingRunRecord(
            task: ImageClassifierConfig.taskName, command: Card.commandLine, settings: settings, baseModel: nil, dataFiles: [],
            labelDistribution: result.classCounts, evaluationData: result.development.summary,
            metrics: result.summary.lastEvaluation?.metrics ?? [:],
            curvesFile: FileManager.default.fileExists(atPath: curves.path) ? curves.lastPathComponent : nil, seconds: seconds,
            finchVersion: FinchVersion.string)
    }
}

extension ImageArchitecture: ExpressibleByArgument {}
extension ImageColorMode: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
