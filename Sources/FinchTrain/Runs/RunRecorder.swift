import Foundation
import Synchronization

/// Records one run in a `RunStore` as it goes: its start when made, each
/// training step (`loss`, `lr`, `grad_norm`) and each evaluation
/// (`eval_<metric>`, and the best so far) as the trainer reports them, and
/// its end. Training never stops because recording failed: the first error is
/// kept (`recordingError`), recording stops there, and the command says so.
public final class RunRecorder: Sendable {
    /// The store.
    public let store: any RunStore
    /// The run's id in the store.
    public let id: Int
    private let bestMetric: String?
    private let state = Mutex<(error: String?, ended: Bool)>((nil, false))

    /// Records `start` in `store` (status `running`).
    /// - Throws: the store's error when it cannot record the start.
    public init(store: any RunStore, start: RunStart) throws {
        self.store = store
        self.bestMetric = start.bestMetric
        self.id = try store.begin(start)
    }

    /// The first error the store gave while recording, nil when none.
    public var recordingError: String? { state.withLock { $0.error } }

    /// Records what a trainer reported: steps and evaluations; the rest is said by `finish`.
    public func observe(_ event: TrainingEvent) {
        switch event {
        case .step(let p):
            var points = [
                RunMetricPoint(step: p.step, epoch: p.epoch, name: "loss", value: p.loss),
                RunMetricPoint(step: p.step, epoch: p.epoch, name: "lr", value: p.learningRate),
            ]
            if let norm = p.gradientNorm { points.append(RunMetricPoint(step: p.step, epoch: p.epoch, name: "grad_norm", value: norm)) }
            record(points)
        case let .evaluated(step, epoch, metrics, isBest):
            let points = metrics.keys.sorted().map {
                RunMetricPoint(step: step, epoch: epoch, name: RunMetricPoint.evaluationPrefix + $0, value: metrics[$0]!)
            }
            let best = isBest ? bestMetric.flatMap { m in metrics[m].map { RunBest(metric: m, value: $0, step: step) } } : nil
            record(points, best: best)
        case .started, .checkpointSaved, .earlyStopped, .interrupted, .finished:
            break
        }
    }

    /// Records `points` (and a new best) in one transaction, unless recording already failed.
    public func record(_ points: [RunMetricPoint], best: RunBest? = nil) {
        guard state.withLock({ $0.error == nil && !$0.ended }) else { return }
        do {
            try store.record(run: id, points: points, best: best, at: Date())
        } catch {
            state.withLock { $0.error = $0.error ?? String(describing: error) }
        }
    }

    /// Records how the run ended (once; later calls do nothing).
    /// - Throws: the store's error.
    public func finish(
        _ status: RunStatus, finalMetrics: [String: Double] = [:], artefacts: [RunArtefact] = [], error: String? = nil
    ) throws {
        guard
            state.withLock({ s in
                defer { s.ended = true }; return !s.ended
            })
        else { return }
        try store.finish(run: id, status: status, finalMetrics: finalMetrics, artefacts: artefacts, error: error, at: Date())
    }

    /// The artefacts among the usual names in a training output folder that exist:
    /// the folder, the weights, the config, the checkpoint, metrics.jsonl, the curves, the model card.
    public static func artefacts(in folder: URL) -> [RunArtefact] {
        let fm = FileManager.default
        var out = [RunArtefact(name: "folder", path: folder.path)]
        let known = [
            ("model", "model.safetensors"), ("config", "config.json"), ("checkpoint", "checkpoint"), ("best", "best"),
            ("metrics", "metrics.jsonl"), ("curves", "training_curves.svg"), ("card", "README.md"),
            ("run_record", TrainingRunRecord.fileName),
        ]
        for (name, file) in known {
            let url = folder.appendingPathComponent(file)
            if fm.fileExists(atPath: url.path) { out.append(RunArtefact(name: name, path: url.path)) }
        }
        return out
    }
}
