import FinchTensor
import Foundation

/// Chooses the settings of the next trial. A sampler is seeded: the same seed,
/// trial number and finished trials give the same settings.
public protocol TrialSampler: Sendable {
    /// The settings of trial `number` (from 0), given the trials finished so far.
    func sample(trial number: Int, space: SearchSpace, history: [TrialRecord]) -> TrialParameters
}

/// Draws every setting independently from its distribution, with a generator
/// seeded by the study's seed and the trial number only: trial n gets the same
/// settings whatever ran before it or beside it.
public struct RandomSampler: TrialSampler {
    /// The study's seed.
    public var seed: UInt64

    /// A sampler with `seed`.
    public init(seed: UInt64) { self.seed = seed }

    public func sample(trial number: Int, space: SearchSpace, history: [TrialRecord]) -> TrialParameters {
        var rng = Self.generator(seed: seed, trial: number)
        return TrialParameters(space.parameters.map { ($0.name, Self.draw($0.distribution, &rng)) })
    }

    /// The generator of trial `number`: independent streams per trial.
    static func generator(seed: UInt64, trial: Int) -> FinchRNG {
        var base = FinchRNG(seed: seed ^ 0x7475_6E65_7475_6E65)
        var rng = FinchRNG(seed: base.next() &+ UInt64(trial) &* 0xD1B5_4A32_D192_ED03)
        _ = rng.next()
        return rng
    }

    /// Uniform in [0, 1) with 53 random bits.
    static func uniform(_ rng: inout FinchRNG) -> Double { Double(rng.next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// One value from `distribution`.
    static func draw(_ distribution: ParameterDistribution, _ rng: inout FinchRNG) -> TuneValue {
        let u = uniform(&rng)
        switch distribution {
        case let .uniform(low, high): return .real(Swift.min(low + u * (high - low), high))
        case let .logUniform(low, high): return .real(Swift.min(Swift.max(exp(log(low) + u * (log(high) - log(low))), low), high))
        case let .integer(low, high): return .integer(Swift.min(low + Int(u * Double(high - low + 1)), high))
        case .categorical(let values): return values[Swift.min(Int(u * Double(values.count)), values.count - 1)]
        }
    }
}
