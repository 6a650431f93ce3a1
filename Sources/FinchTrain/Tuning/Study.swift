import Foundation
import Synchronization

/// What a running trial is: its number, its settings, and where it reports its evaluations.
public final class TrialContext: Sendable {
    /// Its number, from 0.
    public let number: Int
    /// The settings it tries.
    public let parameters: TrialParameters
    /// Raised when the pruner stops the trial, or when the whole study is asked to stop.
    public let stop: StopSignal
    private let pruner: SuccessiveHalvingPruner?
    private let state = Mutex<(evaluations: [TrialEvaluation], pruned: Bool)>(([], false))

    init(number: Int, parameters: TrialParameters, pruner: SuccessiveHalvingPruner?, study: StopSignal = StopSignal()) {
        self.number = number
        self.parameters = parameters
        self.pruner = pruner
        stop = StopSignal(parent: study)
    }

    /// Reports a dev evaluation (the metric that ranks trials; higher is better) and
    /// asks the pruner about it. When the pruner stops the trial, `stop` is raised.
    @discardableResult
    public func report(step: Int, value: Double) -> PruneDecision {
        let count = state.withLock { s in
            s.evaluations.append(TrialEvaluation(step: step, value: value))
            return s.evaluations.count
        }
        guard let pruner, !state.withLock({ $0.pruned }) else { return .notAtRung }
        let decision = pruner.report(trial: number, evaluation: count, value: value)
        if decision.stops {
            state.withLock { $0.pruned = true }
            stop.requestStop()
        }
        return decision
    }

    /// The evaluations reported so far.
    public var evaluations: [TrialEvaluation] { state.withLock { $0.evaluations } }
    /// True once the pruner stopped the trial.
    public var wasPruned: Bool { state.withLock { $0.pruned } }
}

/// A hyperparameter search: `trials` trials, each with settings from `sampler`, run
/// one after another or `parallel` at once, each stopped early when `pruner` says so.
public struct Study: Sendable {
    /// The searched settings.
    public var space: SearchSpace
    /// Chooses each trial's settings.
    public var sampler: any TrialSampler
    /// Stops weak trials early (nil: every trial runs to its end).
    public var pruner: SuccessiveHalvingPruner?
    /// Trials to run.
    public var trials: Int
    /// Trials running at once. With `RandomSampler` the settings do not depend on it;
    /// `TPESampler` learns from the trials finished when a trial starts.
    public var parallel: Int

    /// A study.
    public init(space: SearchSpace, sampler: any TrialSampler, pruner: SuccessiveHalvingPruner?, trials: Int, parallel: Int = 1) {
        self.space = space
        self.sampler = sampler
        self.pruner = pruner
        self.trials = trials
        self.parallel = parallel
    }

    /// The outcome of one trial's training.
    public struct Outcome: Sendable {
        /// The id the run store gave the trial, nil when not recorded.
        public var runID: Int?
        /// The best dev metric, nil when it evaluated nothing (the reported evaluations' best is used then).
        public var bestValue: Double?
        /// True when the trial's stop signal (the pruner's or the study's) ended it before its end.
        /// A trial that trained to its end is completed even when the pruner said stop at its last
        /// evaluation: its model is whole.
        public var stoppedEarly: Bool

        /// An outcome.
        public init(runID: Int? = nil, bestValue: Double? = nil, stoppedEarly: Bool = false) {
            self.runID = runID
            self.bestValue = bestValue
            self.stoppedEarly = stoppedEarly
        }
    }

    /// Runs the trials and returns their records in trial order. `train` trains one
    /// trial, reporting each dev evaluation to the context and stopping when its
    /// `stop` is raised; an error marks the trial failed and the study goes on.
    /// `finished` is called as each trial ends (from the thread that ran it; calls do
    /// not overlap). No new trial starts once `stop` is raised.
    public func run(
        stop: StopSignal = StopSignal(), train: @escaping @Sendable (TrialContext) throws -> Outcome,
        finished: @escaping @Sendable (TrialRecord) -> Void = { _ in }
    ) -> [TrialRecord] {
        let state = Progress()
        let work: @Sendable () -> Void = {
            while !stop.isStopRequested {
                // Take the next number and sample with what has finished, under one lock,
                // so that sequential runs see every earlier trial.
                let next: (Int, TrialParameters)? = state.shared.withLock { s in
                    guard s.next < trials else { return nil }
                    let n = s.next
                    s.next += 1
                    return (n, sampler.sample(trial: n, space: space, history: s.records))
                }
                guard let (number, parameters) = next else { return }
                let record = runTrial(number: number, parameters: parameters, stop: stop, train: train)
                state.shared.withLock { $0.records.append(record) }
                state.reporting.withLock { _ in finished(record) }
            }
        }
        let workers = Swift.max(1, Swift.min(parallel, trials))
        if workers == 1 {
            work()
        } else {
            let group = DispatchGroup()
            for _ in 0..<workers {
                group.enter()
                Thread.detachNewThread {
                    work()
                    group.leave()
                }
            }
            group.wait()
        }
        return state.shared.withLock { $0.records }.sorted { $0.number < $1.number }
    }

    /// What the workers of `run` share: the next trial number, the finished trials, and
    /// the lock that keeps `finished` calls apart.
    private final class Progress: Sendable {
        let shared = Mutex<(next: Int, records: [TrialRecord])>((0, []))
        let reporting = Mutex<Void>(())
    }

    private func runTrial(
        number: Int, parameters: TrialParameters, stop: StopSignal, train: (TrialContext) throws -> Outcome
    ) -> TrialRecord {
        let context = TrialContext(number: number, parameters: parameters, pruner: pruner, study: stop)
        let start = ContinuousClock.now
        var record = TrialRecord(number: number, parameters: parameters, status: .completed, value: nil)
        do {
            let outcome = try train(context)
            record.runID = outcome.runID
            record.value = outcome.bestValue ?? context.evaluations.map(\.value).max()
            if !outcome.stoppedEarly {
                record.status = .completed
            } else if context.wasPruned {
                record.status = .pruned
            } else {
                record.status = .failed
                record.error = Self.stoppedOnRequest
            }
        } catch {
            record.status = .failed
            record.error = String(describing: error)
        }
        record.evaluations = context.evaluations
        let elapsed = ContinuousClock.now - start
        record.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return record
    }

    /// The error of a trial that a stop request ended before its end.
    public static let stoppedOnRequest = "stopped on request before its end"

    /// The completed trial with the highest value (the earliest of equals), nil when none completed.
    public static func best(_ records: [TrialRecord]) -> TrialRecord? {
        records.filter { $0.status == .completed && $0.value != nil }
            .max { a, b in a.value! != b.value! ? a.value! < b.value! : a.number > b.number }
    }
}
