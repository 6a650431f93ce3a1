import FinchSupport
import Foundation

extension TrainingRunRecord {
    /// The record of a finished embedder distillation (`finch distill` with a
    /// sentence-transformers teacher): the settings, the text files (lines
    /// holding text, and SHA-256) and the last evaluation (`loss`, `cosine`).
    ///
    /// - Parameters:
    ///   - baseModel: the teacher as the user named it.
    ///   - command: the command line (`commandLine(_:)`).
    public static func embeddingDistillation(
        request r: DistillationRequest, result: FineTuningResult, baseModel: String, command: String, seconds: Double,
        finchVersion: String
    ) throws -> TrainingRunRecord {
        let f = r.fineTuning, t = f.training
        var settings: [String: String] = [
            "epochs": String(t.epochs), "batch_size": String(t.batchSize), "learning_rate": String(t.learningRate),
            "schedule": t.schedule.rawValue, "warmup_ratio": String(t.warmupRatio), "weight_decay": String(t.weightDecay),
            "seed": String(t.seed), "metric_for_best_model": t.metricForBestModel.rawValue, "steps": String(result.summary.steps),
        ]
        if let m = f.maxLength { settings["max_length"] = String(m) }
        settings.merge(result.settings) { _, recipe in recipe }
        let reader = TextLinesReader()
        var files = [try DataFileRecord.measure(role: "train", path: f.trainFile.relativePath, rows: try reader.read(f.trainFile).count)]
        if let dev = f.devFile {
            files.append(try .measure(role: "dev", path: dev.relativePath, rows: try reader.read(dev).count))
        }
        let curves = f.outputDirectory.appendingPathComponent("training_curves.svg")
        return TrainingRunRecord(
            task: "feature-extraction", command: command, settings: settings, baseModel: baseModel, dataFiles: files,
            evaluationData: evaluationText(result.development), metrics: result.summary.lastEvaluation?.metrics ?? [:],
            curvesFile: FileManager.default.fileExists(atPath: curves.path) ? curves.lastPathComponent : nil, seconds: seconds,
            finchVersion: finchVersion)
    }
}
