import Foundation
import Synchronization

/// What the pruner says after a trial's evaluation.
public enum PruneDecision: Sendable, Equatable {
    /// The evaluation is not at a rung: the trial goes on, nothing is recorded.
    case notAtRung
    /// At `rung` there are fewer than η values yet: the trial goes on.
    case tooFewAtRung(rung: Int)
    /// The trial's value is among the best at `rung`: it goes on to the next rung.
    case promoted(rung: Int)
    /// The trial's value is not among the best at `rung`: stop it.
    case stopped(rung: Int)

    /// True when the trial should stop.
    public var stops: Bool { if case .stopped = self { return true } else { return false } }
}

/// Asynchronous successive halving (ASHA; Li et al. 2020), as Optuna's
/// `SuccessiveHalvingPruner` adapts it to trials that cannot be paused, for a dev
/// metric where higher is better.
///
/// The resource is the number of dev evaluations a trial has done. Rung k is reached
/// at evaluation `minResource · η^k` (k = 0, 1, …; with the defaults 1, 3, 9, 27, …).
/// When a trial reports its value at a rung, the value is recorded at that rung, and
/// with n values recorded there (this one included):
///
/// - n < η: too few competitors to halve; the trial goes on (`tooFewAtRung`). Optuna
///   instead lets such a trial on only when it is the best so far at the rung.
/// - otherwise the trial goes on (`promoted`) when its value is at least the
///   ⌊n/η⌋-th largest value recorded at the rung, the top 1/η; else it stops (`stopped`).
///
/// Values at a rung are compared with those recorded there so far (the asynchronous
/// part): an early trial is judged against fewer competitors than a late one. Trials
/// running at once share one pruner; it is thread-safe.
public final class SuccessiveHalvingPruner: Sendable {
    /// Evaluations before the first rung (Optuna's `min_resource`).
    public let minResource: Int
    /// η: the fraction 1/η of the trials at a rung goes on (Optuna's `reduction_factor`, 3).
    public let reductionFactor: Int
    private let rungs = Mutex<[Int: [(trial: Int, value: Double)]]>([:])

    /// A pruner with its rungs at `minResource · reductionFactor^k` evaluations.
    /// - Precondition: `minResource ≥ 1` and `reductionFactor ≥ 2`.
    public init(minResource: Int = 1, reductionFactor: Int = 3) {
        precondition(minResource >= 1 && reductionFactor >= 2)
        self.minResource = minResource
        self.reductionFactor = reductionFactor
    }

    /// The rung reached at evaluation `count` (from 1), nil when it is not a rung.
    public func rung(atEvaluation count: Int) -> Int? {
        var at = minResource, k = 0
        while at < count {
            at *= reductionFactor
            k += 1
        }
        return at == count ? k : nil
    }

    /// Records trial `trial`'s value at its `evaluation`-th evaluation (from 1) and
    /// says whether it goes on.
    public func report(trial: Int, evaluation: Int, value: Double) -> PruneDecision {
        guard let k = rung(atEvaluation: evaluation) else { return .notAtRung }
        let value = value.isNaN ? -Double.infinity : value  // a NaN metric ranks last
        return rungs.withLock { rungs in
            rungs[k, default: []].append((trial, value))
            let values = rungs[k]!.map(\.value).sorted(by: >)
            let keep = values.count / reductionFactor
            guard keep > 0 else { return .tooFewAtRung(rung: k) }
            return value >= values[keep - 1] ? .promoted(rung: k) : .stopped(rung: k)
        }
    }

    /// The values recorded at `rung`, in the order reported.
    public func values(atRung rung: Int) -> [(trial: Int, value: Double)] { rungs.withLock { $0[rung] ?? [] } }
}
