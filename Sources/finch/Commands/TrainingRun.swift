import ArgumentParser
import Dispatch
import FinchDistributed
import FinchSupport
import FinchTrain
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Renders a fine-tuning run: progress bar on stderr, reports on stdout; Ctrl-C
/// asks the run to stop at the next step and write a resumable checkpoint.
enum TrainingRun {
    /// Records the run in the run store (rank 0 only) from its start to its end, and
    /// runs `body`. `kind` names the run in the store (default `train-classify` or `train-ner`;
    /// `distill` for that command); `runs` is the default folder unless given.
    /// The model card is the fine-tuned `task` model's, or `card`'s (called with the result and
    /// the run's seconds) when given.
    static func execute(
        request: FineTuningRequest, task: TaskMetadata.Kind, baseModel: String, runs: RunsOption? = nil, kind: String? = nil,
        card: ((FineTuningResult, Double) throws -> Void)? = nil,
        _ body: (FineTuningRequest, StopSignal, (TrainingEvent) -> Void) throws -> FineTuningResult
    ) throws {
        let kind = kind ?? (task == .classification ? "train-classify" : "train-ner")
        let root = DistributedJob.isRoot(request.dataParallel?.communicator)
        try recorded(runs: runs?.runs, root: root, { try RunTracking.start(request, kind: kind, model: baseModel) }) { recorder in
            try execute(request: request, task: task, baseModel: baseModel, recorder: recorder, card: card, body)
        }
    }

    /// Records a run in the store named by `runs` (nil: the default folder) around `body`: its start
    /// before, a failure when `body` throws (an `ExitCode(130)` as an interruption). `body` records
    /// how the run ended otherwise. Only the root rank records (`recorder` is nil elsewhere).
    static func recorded<T>(
        runs: String?, root: Bool = true, _ start: () throws -> RunStart, _ body: (RunRecorder?) throws -> T
    ) throws -> T {
        let recorder = try RunsOption.begin(flag: runs, start, root: root)
        do {
            return try body(recorder)
        } catch {
            RunTracking.fail(recorder, error)
            throw error
        }
    }

    /// Writes the model card of a fine-tuned `task` model into `folder` (default: the request's
    /// output directory), with the run's settings and results.
    static func writeCard(
        folder: URL? = nil, request: FineTuningRequest, task: TaskMetadata.Kind, result: FineTuningResult, baseModel: String,
        seconds: Double
    ) throws {
        try Card.afterTraining(
            folder: folder ?? request.outputDirectory,
            run: try TrainingRunRecord.fineTuning(
                task: task, request: request, result: result, baseModel: baseModel, command: Card.commandLine,
                seconds: seconds, finchVersion: FinchVersion.string))
    }

    private static func execute(
        request: FineTuningRequest, task: TaskMetadata.Kind, baseModel: String, recorder: RunRecorder?,
        card: ((FineTuningResult, Double) throws -> Void)?,
        _ body: (FineTuningRequest, StopSignal, (TrainingEvent) -> Void) throws -> FineTuningResult
    ) throws {
        let start = ContinuousClock.now
        let communicator = request.dataParallel?.communicator
        let out = request.outputDirectory.path
        DistributedJob.onTermination(communicator, "nothing was checkpointed yet in \(out)")
        let render = progress(communicator: communicator, outputDirectory: out)
        let events: (TrainingEvent) -> Void = { event in
            recorder?.observe(event)
            render(event)
        }
        // A setting the library rejects is reported with its flag.
        let result = try withStopSignal { stop in try TrainingOptions.flagged { try body(request, stop, events) } }
        try DistributedJob.finish(communicator)
        guard DistributedJob.isRoot(communicator) else {
            if result.summary.interrupted { throw ExitCode(130) }
            return
        }
        if case .heldOut = result.development {
            try StandardOutput.line(result.development.summary + " (--dev)")
        } else {
            try StandardOutput.line(result.development.summary)
        }
        for note in result.notes { try StandardOutput.line("note: \(note)") }
        if result.summary.interrupted {
            try RunTracking.finish(
                recorder, .interrupted, finalMetrics: result.summary.lastEvaluation?.metrics ?? [:], folder: request.outputDirectory)
            try StandardOutput.line("interrupted after \(result.summary.steps) steps; continue with --resume")
            throw ExitCode(130)  // as shells expect after SIGINT
        }
        if let e = result.summary.lastEvaluation {
            try StandardOutput.line("\nevaluation after the last epoch:\n")
            try StandardOutput.line(e.report)
        }
        if let best = result.summary.bestMetric, let step = result.summary.bestStep {
            let metric = request.training.metricForBestModel.rawValue
            try StandardOutput.line(
                String(format: "best %@ %.4f at step %d; model written to %@", metric, best, step, request.outputDirectory.path))
        }
        if let card {
            try card(result, Card.seconds(since: start))
        } else {
            try writeCard(request: request, task: task, result: result, baseModel: baseModel, seconds: Card.seconds(since: start))
        }
        try RunTracking.finish(
            recorder, .finished, finalMetrics: result.summary.lastEvaluation?.metrics ?? [:], folder: request.outputDirectory)
    }

    /// Runs `body` with a stop signal that Ctrl-C sets (saying `message` on stderr): by default the
    /// run stops at the next step and writes a resumable checkpoint.
    static func withStopSignal<T>(
        message: String = "stopping after this step; resume with --resume", _ body: (StopSignal) throws -> T
    ) throws -> T {
        let stop = StopSignal()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            ProgressBar.write("\n\(message)\n")
            stop.requestStop()
        }
        source.resume()
        defer { source.cancel() }
        return try body(stop)
    }

    /// Renders training events: a progress bar and evaluation lines on standard error. In an MPI
    /// job every rank arms its fault hook and termination message; only rank 0 draws.
    static func progress(communicator: (any Communicator)? = nil, outputDirectory: String = "") -> (TrainingEvent) -> Void {
        var bar: ProgressBar?
        let root = DistributedJob.isRoot(communicator)
        return { event in
            if communicator != nil {
                let resume = "continue from the checkpoint in \(outputDirectory)"
                switch event {
                case .step(let p): DistributedJob.faultInjection(communicator, step: p.step)
                case .started(_, let start, _, _) where start > 0:
                    DistributedJob.onTermination(communicator, "\(resume) (step \(start)) with --resume")
                case .checkpointSaved(let step, _):
                    DistributedJob.onTermination(communicator, "\(resume) (step \(step)) with --resume")
                default: break
                }
            }
            guard root else { return }
            switch event {
            case let .started(total, start, examples, epochs):
                let resuming = start > 0 ? ", resuming at step \(start)" : ""
                ProgressBar.write("training on \(examples) examples, \(epochs) epochs, \(total) steps\(resuming)\n")
                bar = ProgressBar(total: total, label: "train")
            case .step(let p):
                let details = String(format: "loss %.4f lr %.2e %.2f it/s", p.loss, p.learningRate, p.stepsPerSecond)
                bar?.update(p.step, details: details, secondsRemaining: p.secondsRemaining)
            case let .evaluated(step, epoch, metrics, isBest):
                let text = metrics.keys.sorted().map { String(format: "%@ %.4f", $0, metrics[$0]!) }.joined(separator: ", ")
                bar?.message(String(format: "step %d (epoch %.2f): %@%@", step, epoch, text, isBest ? " (best)" : ""))
            case .checkpointSaved: break
            case let .earlyStopped(step, best):
                bar?.message(String(format: "early stopping at step %d (best %.4f)", step, best))
            case .interrupted(let step):
                bar?.message("interrupted at step \(step); checkpoint saved")
            case .finished:
                bar?.finish()
            }
        }
    }
}
