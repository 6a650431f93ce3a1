import FinchTensor
import Foundation

/// A tree-structured Parzen estimator (Bergstra et al. 2011), with the defaults of
/// Optuna's `TPESampler` where it has them. Each setting is sampled on its own:
///
/// 1. Until `startupTrials` trials have finished (completed or pruned), settings are
///    drawn as `RandomSampler` draws them.
/// 2. Then the completed trials are ranked by their dev metric (higher is better); the
///    best γ(n) = min(⌈0.1·n⌉, 25) of them (n: finished trials, at least one) are the
///    good group, the other completed trials and every pruned trial the bad group.
/// 3. Each group's values of the setting make a Parzen estimator: a mixture of normals,
///    one per value and one for the prior (centred on the range, as wide as the
///    range, weight 1), each truncated to the range. A value's normal is as wide as the
///    larger gap to its neighbours (the range's ends at the ends), clipped to
///    [range / min(100, 1 + components), range]. Values weigh 1, except that with 25 or
///    more in a group the older ones weigh less (a linear ramp from 1/n, Optuna's
///    default weights). A log-uniform setting lives in the logarithm of its values, a
///    whole-number one on [low − ½, high + ½], rounded.
/// 4. `candidates` (24) values are drawn from the good estimator l(x); the one with the
///    largest l(x)/g(x) is the trial's.
///
/// A list setting counts each value's weight in each group, plus the prior weight
/// spread evenly over the values, and picks among 24 draws from the good counts the
/// one with the largest ratio of good to bad share.
///
/// The generator is seeded by the seed and the trial number, so the same finished
/// trials give the same settings.
public struct TPESampler: TrialSampler {
    /// The study's seed.
    public var seed: UInt64
    /// Finished trials drawn at random before the estimator takes over (Optuna: 10).
    public var startupTrials: Int
    /// Values drawn from l(x) to choose from (Optuna: 24).
    public var candidates: Int
    /// Weight of the prior in each estimator (Optuna: 1).
    public var priorWeight: Double = 1

    /// A sampler with `seed`.
    public init(seed: UInt64, startupTrials: Int = 10, candidates: Int = 24) {
        self.seed = seed
        self.startupTrials = startupTrials
        self.candidates = candidates
    }

    /// Optuna's default γ: the good group's size among `n` finished trials.
    public static func goodCount(_ n: Int) -> Int { Swift.min(Int((0.1 * Double(n)).rounded(.up)), 25) }

    /// Optuna's default weights of `n` observations in trial order: all 1 below 25,
    /// else a ramp from 1/n up to 1 for the oldest n − 25 and 1 for the newest 25.
    public static func weights(_ n: Int) -> [Double] {
        guard n >= 25 else { return Array(repeating: 1, count: n) }
        let ramp = n - 25
        let rising = (0..<ramp).map { i in ramp == 1 ? 1 / Double(n) : 1 / Double(n) + (1 - 1 / Double(n)) * Double(i) / Double(ramp - 1) }
        return rising + Array(repeating: 1, count: 25)
    }

    public func sample(trial number: Int, space: SearchSpace, history: [TrialRecord]) -> TrialParameters {
        let completed = history.filter { $0.status == .completed && $0.value != nil }
        let pruned = history.filter { $0.status == .pruned }
        guard completed.count + pruned.count >= Swift.max(startupTrials, 1), !completed.isEmpty else {
            return RandomSampler(seed: seed).sample(trial: number, space: space, history: history)
        }
        let ranked = completed.sorted { a, b in a.value! != b.value! ? a.value! > b.value! : a.number < b.number }
        let goodSize = Swift.min(Swift.max(Self.goodCount(completed.count + pruned.count), 1), ranked.count)
        let good = ranked[..<goodSize].sorted { $0.number < $1.number }
        let bad = (ranked[goodSize...] + pruned).sorted { $0.number < $1.number }
        var rng = RandomSampler.generator(seed: seed ^ 0x5450_455F_5450_455F, trial: number)
        var out: [(name: String, value: TuneValue)] = []
        for p in space.parameters {
            let goodValues = good.compactMap { $0.parameters[p.name] }
            let badValues = bad.compactMap { $0.parameters[p.name] }
            out.append((p.name, choose(p.distribution, good: goodValues, bad: badValues, rng: &rng)))
        }
        return TrialParameters(out)
    }

    /// The value with the largest l/g among `candidates` draws from l.
    func choose(_ distribution: ParameterDistribution, good: [TuneValue], bad: [TuneValue], rng: inout FinchRNG) -> TuneValue {
        switch distribution {
        case .categorical(let values):
            let l = categoricalShares(values, good), g = categoricalShares(values, bad)
            var best = 0, bestScore = -Double.infinity
            for _ in 0..<candidates {
                var u = RandomSampler.uniform(&rng), i = 0
                while i < values.count - 1 && u >= l[i] {
                    u -= l[i]
                    i += 1
                }
                let score = log(l[i]) - log(g[i])
                if score > bestScore { (best, bestScore) = (i, score) }
            }
            return values[best]
        case let .uniform(low, high):
            let x = chooseNumber(low: low, high: high, good: good.compactMap(\.number), bad: bad.compactMap(\.number), rng: &rng)
            return .real(x)
        case let .logUniform(low, high):
            let x = chooseNumber(
                low: log(low), high: log(high), good: good.compactMap(\.number).map(log), bad: bad.compactMap(\.number).map(log), rng: &rng)
            return .real(Swift.min(Swift.max(exp(x), low), high))
        case let .integer(low, high):
            let x = chooseNumber(
                low: Double(low) - 0.5, high: Double(high) + 0.5, good: good.compactMap(\.number), bad: bad.compactMap(\.number),
                rng: &rng)
            return .integer(Swift.min(Swift.max(Int(x.rounded()), low), high))
        }
    }

    func chooseNumber(low: Double, high: Double, good: [Double], bad: [Double], rng: inout FinchRNG) -> Double {
        let l = ParzenEstimator(good, weights: Self.weights(good.count), low: low, high: high, priorWeight: priorWeight)
        let g = ParzenEstimator(bad, weights: Self.weights(bad.count), low: low, high: high, priorWeight: priorWeight)
        var best = l.sample(&rng), bestScore = -Double.infinity
        for _ in 0..<candidates {
            let x = l.sample(&rng)
            let score = l.logDensity(x) - g.logDensity(x)
            if score > bestScore { (best, bestScore) = (x, score) }
        }
        return best
    }

    /// Each value's share in a group: its observations plus the prior weight spread evenly.
    func categoricalShares(_ values: [TuneValue], _ observed: [TuneValue]) -> [Double] {
        let w = Self.weights(observed.count)
        var counts = Array(repeating: priorWeight / Double(values.count), count: values.count)
        for (value, weight) in zip(observed, w) {
            if let i = values.firstIndex(of: value) { counts[i] += weight }
        }
        let total = counts.reduce(0, +)
        return counts.map { $0 / total }
    }
}

/// A weighted mixture of normals truncated to [low, high]: one per observation and
/// one for the prior (see `TPESampler`).
struct ParzenEstimator {
    var mus: [Double]
    var sigmas: [Double]
    var weights: [Double]
    var low: Double
    var high: Double

    init(_ observations: [Double], weights w: [Double], low: Double, high: Double, priorWeight: Double) {
        self.low = low
        self.high = high
        let span = high - low
        let all = observations + [(low + high) / 2]
        let order = all.indices.sorted { all[$0] < all[$1] }
        var sigmas = Array(repeating: span, count: all.count)
        for (position, i) in order.enumerated() {
            let left = position == 0 ? low : all[order[position - 1]]
            let right = position == order.count - 1 ? high : all[order[position + 1]]
            sigmas[i] = Swift.max(all[i] - left, right - all[i])
        }
        sigmas[all.count - 1] = span  // the prior
        let minimum = span / Swift.min(100, 1 + Double(all.count))
        self.sigmas = sigmas.map { Swift.min(Swift.max($0, minimum), span) }
        mus = all
        let raw = w + [priorWeight]
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
    }

    /// One draw: a component by weight, then its normal until the value falls in range.
    func sample(_ rng: inout FinchRNG) -> Double {
        var u = RandomSampler.uniform(&rng), k = 0
        while k < weights.count - 1 && u >= weights[k] {
            u -= weights[k]
            k += 1
        }
        for _ in 0..<100 {
            let x = mus[k] + sigmas[k] * Self.normal(&rng)
            if x >= low && x <= high { return x }
        }
        return Swift.min(Swift.max(mus[k], low), high)
    }

    /// The logarithm of the mixture's density at `x`.
    func logDensity(_ x: Double) -> Double {
        var terms: [Double] = []
        for k in mus.indices {
            let s = sigmas[k]
            let z = (x - mus[k]) / s
            let mass = Self.cdf((high - mus[k]) / s) - Self.cdf((low - mus[k]) / s)
            terms.append(log(weights[k]) - 0.5 * z * z - log(s) - 0.5 * log(2 * Double.pi) - log(Swift.max(mass, 1e-300)))
        }
        let top = terms.max() ?? -Double.infinity
        guard top.isFinite else { return top }
        return top + log(terms.reduce(0) { $0 + exp($1 - top) })
    }

    static func cdf(_ z: Double) -> Double { 0.5 * (1 + erf(z / 2.0.squareRoot())) }

    /// A standard normal (Box–Muller).
    static func normal(_ rng: inout FinchRNG) -> Double {
        let u1 = Swift.max(RandomSampler.uniform(&rng), 1e-300)
        let u2 = RandomSampler.uniform(&rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
