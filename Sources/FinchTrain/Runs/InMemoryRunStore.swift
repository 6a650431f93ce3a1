import Foundation
import Synchronization

/// A run store that lives as long as the process: for tests, and for
/// callers that want the recording without a file.
public final class InMemoryRunStore: RunStore {
    private let state = Mutex<(runs: [RecordedRun], points: [Int: [String: RunMetricPoint]])>(([], [:]))

    /// An empty store.
    public init() {}

    public func begin(_ start: RunStart) throws -> Int {
        state.withLock { s in
            let id = (s.runs.map(\.id).max() ?? 0) + 1
            s.runs.append(
                RecordedRun(
                    id: id, start: start, status: .running, steps: 0, updatedAt: start.startedAt, finishedAt: nil, best: nil,
                    finalMetrics: [:], artefacts: [], error: nil))
            return id
        }
    }

    public func record(run: Int, points: [RunMetricPoint], best: RunBest?, at date: Date) throws {
        try state.withLock { s in
            guard let i = s.runs.firstIndex(where: { $0.id == run }) else { throw RunStoreError.unknownRun(String(run)) }
            for p in points { s.points[run, default: [:]]["\(p.name)\u{0}\(p.step)"] = p }
            s.runs[i].steps = max(s.runs[i].steps, points.map(\.step).max() ?? 0)
            if let best { s.runs[i].best = best }
            s.runs[i].updatedAt = date
        }
    }

    public func finish(run: Int, status: RunStatus, finalMetrics: [String: Double], artefacts: [RunArtefact], error: String?, at date: Date)
        throws
    {
        try state.withLock { s in
            guard let i = s.runs.firstIndex(where: { $0.id == run }) else { throw RunStoreError.unknownRun(String(run)) }
            s.runs[i].status = status
            s.runs[i].finalMetrics = finalMetrics.filter { $0.value.isFinite }  // as the stores keeping JSON do
            s.runs[i].artefacts = artefacts
            s.runs[i].error = error
            s.runs[i].finishedAt = date
            s.runs[i].updatedAt = date
        }
    }

    public func markFailed(run: Int, reason: String, at date: Date) throws -> Bool {
        state.withLock { s in
            guard let i = s.runs.firstIndex(where: { $0.id == run && $0.status == .running }) else { return false }
            s.runs[i].status = .failed
            s.runs[i].error = reason
            return true
        }
    }

    public func runs() throws -> [RecordedRun] { state.withLock { $0.runs.reversed() } }

    public func run(id: Int) throws -> RecordedRun? { state.withLock { s in s.runs.first { $0.id == id } } }

    public func points(run: Int) throws -> [RunMetricPoint] {
        state.withLock { s in
            (s.points[run] ?? [:]).values.sorted { ($0.step, $0.name) < ($1.step, $1.name) }
        }
    }
}
