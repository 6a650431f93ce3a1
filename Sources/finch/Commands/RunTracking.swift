import ArgumentParser
import FinchTrain
import Foundation

/// What the training commands record in the run store: the start of a
/// fine-tuning or image run, and how a run ended.
enum RunTracking {
    /// The start of `finch train classify|ner`: the configuration and the request's other
    /// settings as parameters, the train and dev files' SHA-256.
    static func start(_ r: FineTuningRequest, kind: String, model: String) throws -> RunStart {
        var p = r.training.runParameters
        p["model"] = model
        p["train"] = r.trainFile.relativePath
        if let dev = r.devFile { p["dev"] = dev.relativePath } else { p["hold_out"] = String(r.holdOut) }
        p["out"] = r.outputDirectory.relativePath
        if let m = r.maxLength { p["max_length"] = String(m) }
        if let lora = r.lora {
            p["lora_rank"] = String(lora.rank)
            p["lora_alpha"] = String(lora.alpha)
            p["lora_dropout"] = String(lora.dropout)
            p["lora_targets"] = lora.targetModules.joined(separator: ",")
        }
        if r.freezeLayers > 0 { p["freeze_layers"] = String(r.freezeLayers) }
        if r.freezeEmbeddings { p["freeze_embeddings"] = "true" }
        if r.multiLabel { p["multi_label"] = "true" }
        if let pooling = r.pooling { p["pooling"] = pooling.rawValue }
        if r.resume != .fresh { p["resume"] = String(describing: r.resume) }
        if let size = r.dataParallel?.communicator.size { p["processes"] = String(size) }
        return RunStart(
            kind: kind, model: model, command: Card.commandLine, outputDirectory: r.outputDirectory.path, parameters: p,
            dataHashes: try hashes([("train", r.trainFile.relativePath), ("dev", r.devFile?.relativePath)]),
            bestMetric: r.training.metricForBestModel.rawValue)
    }

    /// The data files' hashes, in the order given; nil paths are skipped.
    static func hashes(_ files: [(role: String, path: String?)]) throws -> [RunDataHash] {
        try files.compactMap { f in try f.path.map { try RunDataHash.measure(role: f.role, path: $0) } }
    }

    /// Records that a run failed with `error` (an `ExitCode(130)` is an interruption the run already
    /// recorded). Does nothing when the run ended already; a store that refuses is reported on stderr.
    static func fail(_ recorder: RunRecorder?, _ error: any Error) {
        guard let recorder else { return }
        do {
            if let code = error as? ExitCode, code.rawValue == 130 {
                try recorder.finish(.interrupted)
            } else {
                try recorder.finish(.failed, error: ErrorMessage.render(error))
            }
        } catch {
            ProgressBar.write("note: the run store did not record how run \(recorder.id) ended: \(ErrorMessage.render(error))\n")
        }
    }

    /// Records how a run ended and says on stderr when recording stopped early.
    static func finish(
        _ recorder: RunRecorder?, _ status: RunStatus, finalMetrics: [String: Double], folder: URL?
    ) throws {
        guard let recorder else { return }
        if let problem = recorder.recordingError {
            ProgressBar.write("note: the run store stopped recording run \(recorder.id) early: \(problem)\n")
        }
        try recorder.finish(status, finalMetrics: finalMetrics, artefacts: folder.map(RunRecorder.artefacts(in:)) ?? [])
    }
}
