import Foundation

/// One bucket of one series as a detector sees it.
public struct BucketObservation: Sendable, Equatable {
    public var start: Date
    /// Documents in the bucket (0 for a bucket without any).
    public var count: Int
    /// The rule's metric in the bucket.
    public var value: Double

    public init(start: Date, count: Int, value: Double) {
        self.start = start
        self.count = count
        self.value = value
    }

    /// The rule's metric of an aggregate (an empty bucket when nil).
    public init(_ aggregate: BucketAggregate?, start: Date, metric: AlertMetric) {
        self.start = start
        count = aggregate?.count ?? 0
        switch metric {
        case .negativeShare: value = aggregate?.negativeShare ?? 0
        case .volume: value = Double(count)
        case .meanScore: value = aggregate?.meanScore ?? 0
        }
    }
}

/// What a detector made of one bucket.
public struct DetectorOutcome: Sendable, Equatable {
    /// The expectation before this bucket (the threshold for `threshold`).
    public var baseline: Double
    /// The detector's score: z for `ewma_z`, the CUSUM sum, the value for `threshold`.
    public var score: Double
    /// The bucket is unusual enough to open an alert.
    public var alarming: Bool
    /// The bucket is back to normal: an open alert closes.
    public var normal: Bool
}

/// The detectors of alert rules, as one step per bucket over a `DetectorState`.
///
/// - `ewma_z`: the score (`DetectorScores`: binomial-aware for shares,
///   seasonal for volume, Gaussian for mean scores) against the EWMA baseline
///   alarms above `z`; below `z / 2` is normal again.
/// - `threshold`: alarms when the value is past `threshold` in the metric's bad
///   direction; normal when it is not.
/// - `cusum`: S ← max(0, S + score − 0.5) over the same standardized scores;
///   alarms when S exceeds the limit (`threshold`, default 5); normal when S is back to 0.
///
/// A bucket with fewer than `min_count` documents is skipped (neither learned
/// from nor judged), except for volume, where every bucket is learned (the
/// baseline needs quiet hours too) and only alarms need `min_count`. The
/// baseline learns only after judging, from the value clamped to
/// baseline ± z·sd once warm, so a surge bends it little; no alarms during warm-up
/// (`warmup(rule:width:)` buckets learned).
public enum Detector {
    /// Judges `observation` and learns from it; nil when skipped.
    public static func step(_ observation: BucketObservation, state: inout DetectorState, width: BucketWidth) -> DetectorOutcome? {
        let rule = state.rule
        let enough = observation.count >= rule.minCount
        if rule.detector == .threshold {
            guard enough, let t = rule.threshold else { return nil }
            let past = rule.metric.badDirection * (observation.value - t) > 0
            return DetectorOutcome(baseline: t, score: observation.value, alarming: past, normal: !past)
        }
        guard enough || rule.metric == .volume else { return nil }
        let alpha = EWMA.alpha(halflife: rule.halflife)
        let warm = state.observations >= warmup(rule: rule, width: width)
        let (baseline, score, sd) = standardized(observation, state: state, width: width)
        var outcome: DetectorOutcome
        switch rule.detector {
        case .ewmaZ, .threshold:
            outcome = DetectorOutcome(
                baseline: baseline, score: score, alarming: warm && enough && score > rule.z, normal: score < rule.z / 2)
        case .cusum:
            if warm { state.cusum = DetectorScores.cusum(state.cusum, z: score) }
            outcome = DetectorOutcome(
                baseline: baseline, score: state.cusum, alarming: warm && enough && state.cusum > rule.cusumLimit, normal: state.cusum == 0)
        }
        let bounds = warm ? sd.map { (baseline - rule.z * $0, baseline + rule.z * $0) } : nil
        learn(observation, state: &state, width: width, alpha: alpha, clampTo: bounds)
        if !warm { outcome.alarming = false }
        return outcome
    }

    /// Buckets learned before a rule may alarm: max(3, half-life) for shares
    /// and mean scores; for volume also two days of buckets (one week and a
    /// day for day buckets), so the daily rhythm is known.
    public static func warmup(rule: AlertRule, width: BucketWidth) -> Int {
        let base = max(3, Int(rule.halflife.rounded()))
        guard rule.metric == .volume else { return base }
        switch width {
        case .minute: return max(base, 2 * 1440)
        case .hour: return max(base, 48)
        case .day: return max(base, 8)
        }
    }

    /// (baseline, score, sd) of an observation before learning it; sd is nil without a baseline yet.
    static func standardized(_ o: BucketObservation, state: DetectorState, width: BucketWidth) -> (Double, Double, Double?) {
        switch state.rule.metric {
        case .negativeShare:
            guard let mu = state.mean else { return (o.value, 0, nil) }
            let sd = DetectorScores.shareDeviation(
                count: o.count, baseline: mu, variance: state.variance, inverseCount: state.inverseCount ?? 0)
            return (mu, o.count > 0 ? (o.value - mu) / sd : 0, sd)
        case .volume:
            guard let e = SeasonalVolume.expected(state, start: o.start, width: width) else { return (o.value, 0, nil) }
            let sd = max(state.variance, e, 1).squareRoot()
            return (e, DetectorScores.volume(value: o.value, expected: e, variance: state.variance), sd)
        case .meanScore:
            guard let mu = state.mean else { return (o.value, 0, nil) }
            return (
                mu, DetectorScores.meanScore(value: o.value, baseline: mu, variance: state.variance), max(state.variance, 1e-4).squareRoot()
            )
        }
    }

    static func learn(
        _ o: BucketObservation, state: inout DetectorState, width: BucketWidth, alpha: Double, clampTo bounds: (Double, Double)?
    ) {
        let x = bounds.map { min(max(o.value, $0.0), $0.1) } ?? o.value
        state.observations += 1
        switch state.rule.metric {
        case .volume:
            SeasonalVolume.learn(&state, x: x, start: o.start, width: width, alpha: alpha)
        case .negativeShare:
            let inv = 1 / Double(max(o.count, 1))
            state.inverseCount = state.inverseCount.map { $0 + alpha * (inv - $0) } ?? inv
            EWMA.update(mean: &state.mean, variance: &state.variance, with: x, alpha: alpha)
        case .meanScore:
            EWMA.update(mean: &state.mean, variance: &state.variance, with: x, alpha: alpha)
        }
    }
}
