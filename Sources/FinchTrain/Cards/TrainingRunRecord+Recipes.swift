import FinchSupport
import Foundation

extension TrainingRunRecord {
    /// The record of a finished fine-tuning run (`finch train classify|ner`,
    /// or a retrain that fine-tunes): re-reads the training file for its
    /// rows and label (or entity-type) distribution and hashes the data files.
    ///
    /// - Parameters:
    ///   - task: `.classification` or `.ner`, the recipe that ran.
    ///   - baseModel: the model as the user named it (a folder or `hf:ORG/NAME`).
    ///   - command: the command line (`commandLine(_:)`) or the job that ran it.
    public static func fineTuning(
        task: TaskMetadata.Kind, request r: FineTuningRequest, result: FineTuningResult, baseModel: String, command: String,
        seconds: Double, finchVersion: String
    ) throws -> TrainingRunRecord {
        let t = r.training
        var settings: [String: String] = [
            "epochs": String(t.epochs), "batch_size": String(t.batchSize), "learning_rate": String(t.learningRate),
            "schedule": t.schedule.rawValue, "warmup_ratio": String(t.warmupRatio), "weight_decay": String(t.weightDecay),
            "seed": String(t.seed), "metric_for_best_model": t.metricForBestModel.rawValue, "steps": String(result.summary.steps),
        ]
        if let m = r.maxLength { settings["max_length"] = String(m) }
        if let lora = r.lora { settings["lora_rank"] = String(lora.rank) }
        if r.multiLabel { settings["multi_label"] = "true" }
        settings.merge(result.settings) { _, recipe in recipe }
        var files: [DataFileRecord] = []
        let distribution: [String: Int]
        switch task {
        case .classification:
            let examples = try ClassificationReader(columns: r.columns).read(r.trainFile)
            distribution = labelCounts(examples, multiLabelSeparator: r.multiLabel ? r.labelSeparator : nil)
            files.append(try .measure(role: "train", path: r.trainFile.relativePath, rows: examples.count))
            if let dev = r.devFile {
                files.append(
                    try .measure(role: "dev", path: dev.relativePath, rows: try ClassificationReader(columns: r.columns).read(dev).count))
            }
        case .ner:
            let sentences = try CoNLLReader().read(r.trainFile)
            distribution = entityCounts(sentences)
            files.append(try .measure(role: "train", path: r.trainFile.relativePath, rows: sentences.count))
            if let dev = r.devFile {
                files.append(try .measure(role: "dev", path: dev.relativePath, rows: try CoNLLReader().read(dev).count))
            }
        }
        let curves = r.outputDirectory.appendingPathComponent("training_curves.svg")
        return TrainingRunRecord(
            task: task == .classification ? "text-classification" : "token-classification", command: command, settings: settings,
            baseModel: baseModel, dataFiles: files, labelDistribution: distribution, evaluationData: evaluationText(result.development),
            metrics: result.summary.lastEvaluation?.metrics ?? [:],
            curvesFile: FileManager.default.fileExists(atPath: curves.path) ? curves.lastPathComponent : nil, seconds: seconds,
            finchVersion: finchVersion)
    }

    /// The record of a finished classical run (`finch train classify --head`).
    public static func classical(
        request r: ClassicalTrainingRequest, result: ClassicalTrainingResult, command: String, seconds: Double, finchVersion: String
    ) throws -> TrainingRunRecord {
        var settings: [String: String] = [
            "features": r.features.rawValue, "head": r.head.rawValue, "seed": String(r.seed),
            "features_per_example": String(result.featureCount),
        ]
        switch r.head {
        case .logistic, .svm: settings["C"] = String(r.c)
        case .knn: settings["n_neighbors"] = String(r.neighbors)
        }
        if let i = result.iterations { settings["iterations"] = String(i) }
        let examples = try ClassificationReader(columns: r.columns).read(r.trainFile)
        var files = [try DataFileRecord.measure(role: "train", path: r.trainFile.relativePath, rows: examples.count)]
        if let dev = r.devFile {
            files.append(
                try .measure(role: "dev", path: dev.relativePath, rows: try ClassificationReader(columns: r.columns).read(dev).count))
        }
        return TrainingRunRecord(
            task: "text-classification", command: command, settings: settings, baseModel: r.embedderDirectory?.path, dataFiles: files,
            labelDistribution: labelCounts(examples, multiLabelSeparator: nil), evaluationData: evaluationText(result.development),
            metrics: result.evaluation.metrics, seconds: seconds, finchVersion: finchVersion)
    }

    /// Examples per label; with a separator, each of an example's labels counts once.
    static func labelCounts(_ examples: [ClassificationExample], multiLabelSeparator: String?) -> [String: Int] {
        var counts: [String: Int] = [:]
        for e in examples {
            if let separator = multiLabelSeparator {
                for label in e.label.components(separatedBy: separator) {
                    let trimmed = label.trimmingCharacters(in: .whitespaces)
                    if !trimmed.isEmpty { counts[trimmed, default: 0] += 1 }
                }
            } else {
                counts[e.label, default: 0] += 1
            }
        }
        return counts
    }

    /// Entities per type (seqeval's chunking of the IOB2 tags).
    static func entityCounts(_ sentences: [TaggedSentence]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for s in sentences {
            for entity in EntityChunker.entities(in: TagScheme.iob2(from: s.tags)) { counts[entity.type, default: 0] += 1 }
        }
        return counts
    }

    /// The development source in words.
    static func evaluationText(_ source: DevelopmentSource) -> String {
        switch source {
        case .file(let name): return "the development file `\(name)`"
        case let .heldOut(file, fraction, seed, count):
            return "\(count) examples (\(String(format: "%g", fraction * 100)) % of `\(file)`, seed \(seed)) held out from training"
        }
    }
}
