import FinchSupport
import FinchTrain
import Foundation

/// Renders a classical training run (`finch train classify --head`): the
/// stages and their times on stderr, the same report as a fine-tuning run on stdout.
enum ClassicalRun {
    static func execute(request: ClassicalTrainingRequest, metric: TrainingMetric) throws {
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
    }
}

/// A classical-model error told with the flag at fault.
struct ClassicalFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
