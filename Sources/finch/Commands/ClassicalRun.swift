import FinchSupport
import FinchTrain
import Foundation

/// Renders a classical training run (`finch train classify --head`): the
/// stages and their times on stderr, the same report as a fine-tuning run on stdout.
enum ClassicalRun {
    /// Records the run in the run store (no steps: one fit) and runs it.
    static func execute(request: ClassicalTrainingRequest, metric: TrainingMetric, runs: RunsOption) throws {
        let recorder = try runs.begin { try start(request, metric: metric) }
        do {
            let evaluation = try execute(request: request, metric: metric)
            let m = evaluation.metrics
            recorder?.record(
                m.keys.sorted().map { RunMetricPoint(step: 0, epoch: 0, name: RunMetricPoint.evaluationPrefix + $0, value: m[$0]!) },
                best: m[metric.rawValue].map { RunBest(metric: metric.rawValue, value: $0, step: 0) })
            try RunTracking.finish(recorder, .finished, finalMetrics: evaluation.metrics, folder: request.outputDirectory)
        } catch {
            RunTracking.fail(recorder, error)
            throw error
        }
    }

    /// The run's start: the head, the features and their settings, the data files' SHA-256.
    static func start(_ r: ClassicalTrainingRequest, metric: TrainingMetric) throws -> RunStart {
        var p: [String: String] = [
            "head": r.head.rawValue, "features": r.features.rawValue, "seed": String(r.seed), "train": r.trainFile.relativePath,
            "out": r.outputDirectory.relativePath, "metric_for_best_model": metric.rawValue,
        ]
        if let dev = r.devFile { p["dev"] = dev.relativePath } else { p["hold_out"] = String(r.holdOut) }
        switch r.head {
        case .logistic, .svm: p["C"] = String(r.c)
        case .knn: p["n_neighbors"] = String(r.neighbors)
        }
        if let e = r.embedderDirectory { p["embedder"] = e.path }
        if let m = r.maxLength { p["max_length"] = String(m) }
        return RunStart(
            kind: "train-classify", model: "\(r.head.rawValue) on \(r.features.rawValue)", command: Card.commandLine,
            outputDirectory: r.outputDirectory.path, parameters: p,
            dataHashes: try RunTracking.hashes([("train", r.trainFile.relativePath), ("dev", r.devFile?.relativePath)]))
    }

    /// Trains, prints the report, writes the card; returns the evaluation.
    static func execute(request: ClassicalTrainingRequest, metric: TrainingMetric) throws -> Evaluation {
        let start = ContinuousClock.now
        let result: ClassicalTrainingResult
        do {
            result = try ClassicalTraining.classify(request) { event in
                ProgressBar.write(String(format: "%@ done after %.2f s\n", event.stage, event.elapsedSeconds))
            }
        } catch let error as ClassicalError {
            throw ClassicalFailure(message: ClassicalOptions.flagged(error))
        }
        var iterations = ""
        if let n = result.iterations { iterations = ", \(n) iterations" }
        ProgressBar.write(
            String(
                format: "features: %@, %d per example, %.3f s; fit: %@ on %d examples, %.3f s%@\n", request.features.rawValue,
                result.featureCount, result.featureSeconds, request.head.rawValue, result.trainExamples, result.fitSeconds, iterations))
        if case .heldOut = result.development {
            try StandardOutput.line(result.development.summary + " (--dev)")
        } else {
            try StandardOutput.line(result.development.summary)
        }
        for note in result.notes { try StandardOutput.line("note: \(note)") }
        try StandardOutput.line("\nevaluation on the development data:\n")
        try StandardOutput.line(result.evaluation.report)
        let value = result.evaluation.metrics[metric.rawValue] ?? .nan
        try StandardOutput.line(
            String(format: "%@ %.4f; model written to %@", metric.rawValue, value, request.outputDirectory.path))
        try Card.afterTraining(
            folder: request.outputDirectory,
            run: try TrainingRunRecord.classical(
                request: request, result: result, command: Card.commandLine, seconds: Card.seconds(since: start),
                finchVersion: FinchVersion.string))
        return result.evaluation
    }
}

/// A classical-model error told with the flag at fault.
struct ClassicalFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
