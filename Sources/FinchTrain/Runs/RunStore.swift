import Foundation

/// Where training runs are recorded (`runs.sqlite` in the runs folder, or the
/// service's database). Every call is one small transaction, written as the
/// run goes, so a process killed mid-run leaves everything it recorded up to
/// the kill; the run it left `running` is marked failed later
/// (`runsMarkingLost()`).
public protocol RunStore: Sendable {
    /// Records a run's start (status `running`) and returns its id.
    func begin(_ start: RunStart) throws -> Int
    /// Adds metric points (a value replaces one of the same name and step) and, when given, the new best evaluation.
    func record(run: Int, points: [RunMetricPoint], best: RunBest?, at date: Date) throws
    /// Records how a run ended: its status, final metrics, artefacts and error.
    func finish(run: Int, status: RunStatus, finalMetrics: [String: Double], artefacts: [RunArtefact], error: String?, at date: Date)
        throws
    /// Marks a run `failed` with `reason` if it is still `running`; true when it was.
    func markFailed(run: Int, reason: String, at date: Date) throws -> Bool
    /// Every run, newest first.
    func runs() throws -> [RecordedRun]
    /// The run, nil when there is none with that id.
    func run(id: Int) throws -> RecordedRun?
    /// A run's metric points in step order (then name order).
    func points(run: Int) throws -> [RunMetricPoint]
}

extension RunStore {
    /// Every run, newest first, after marking failed the `running` runs whose
    /// process is gone from this host (killed, crashed, or the host rebooted).
    public func runsMarkingLost(seenFrom here: RunProcess = .current, at date: Date = Date()) throws -> [RecordedRun] {
        var all = try runs()
        for i in all.indices where all[i].status == .running && all[i].start.process.isAlive(seenFrom: here) == false {
            let reason = Self.lostReason(all[i].start.process)
            if try markFailed(run: all[i].id, reason: reason, at: date) {
                all[i].status = .failed
                all[i].error = reason
            } else if let fresh = try run(id: all[i].id) {
                all[i] = fresh  // it ended meanwhile
            }
        }
        return all
    }

    /// The run with `id` after the same check as `runsMarkingLost`.
    public func runMarkingLost(id: Int, seenFrom here: RunProcess = .current, at date: Date = Date()) throws -> RecordedRun? {
        guard let found = try run(id: id) else { return nil }
        guard found.status == .running, found.start.process.isAlive(seenFrom: here) == false else { return found }
        _ = try markFailed(run: id, reason: Self.lostReason(found.start.process), at: date)
        return try run(id: id)
    }

    static func lostReason(_ p: RunProcess) -> String {
        "its process (pid \(p.pid) on \(p.host)) ended without recording how the run ended: killed or crashed"
    }
}

/// A problem with the run store.
public enum RunStoreError: Error, Equatable, CustomStringConvertible {
    /// The store could not be opened or read.
    case cannotOpen(path: String, reason: String)
    /// No run has this id.
    case unknownRun(String)
    /// A stored row holds a value the store does not know.
    case corruptRow(run: Int, field: String)
    /// A blocking store was called from a task on Swift's cooperative pool (a bug: call it through `RunStoreThread.run`).
    case calledOnCooperativePool(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open the run store \(path): \(reason)"
        case .unknownRun(let id): return "no run \(id) in the run store"
        case let .corruptRow(run, field): return "run \(run) in the run store has an unreadable \(field)"
        case .calledOnCooperativePool(let call):
            return "the run store's \(call) was called on Swift's cooperative pool, where it must not block "
                + "(call it through RunStoreThread.run)"
        }
    }
}
