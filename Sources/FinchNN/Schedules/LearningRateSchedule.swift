import Foundation

/// A learning-rate schedule: a pure function of the step, matching the
/// `transformers.optimization` functions Hugging Face's Trainer uses
/// (`lr_scheduler_type` constant, constant_with_warmup, linear, cosine).
///
/// Step numbering follows `torch.optim.lr_scheduler.LambdaLR` as the Trainer
/// drives it: the k-th optimizer step (k = 0, 1, …) uses
/// `base · multiplier(atStep: k)`, so the first step of a warmup runs at 0.
///
/// Encoded as JSON with the Trainer's names:
/// `{"type": "linear", "warmup_steps": 10, "training_steps": 100}`.
public enum LearningRateSchedule: Equatable, Sendable {
    /// `get_constant_schedule`: always 1.
    case constant
    /// `get_constant_schedule_with_warmup`: k / warmup during warmup, then 1.
    case constantWithWarmup(warmupSteps: Int)
    /// `get_linear_schedule_with_warmup`: linear rise to 1 over `warmupSteps`,
    /// then linear decay to 0 at `trainingSteps` (0 after).
    case linearWithWarmup(warmupSteps: Int, trainingSteps: Int)
    /// `get_cosine_schedule_with_warmup`: linear rise, then
    /// ½(1 + cos(π · 2 · cycles · progress)), floored at 0; `cycles` 0.5 (the
    /// reference's default) is a half cosine from 1 to 0.
    case cosineWithWarmup(warmupSteps: Int, trainingSteps: Int, cycles: Double = 0.5)

    /// The factor applied to the base learning rate at optimizer step `step`
    /// (0-based), computed in Double exactly as the reference lambdas.
    public func multiplier(atStep step: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case .constantWithWarmup(let warmup):
            if step < warmup { return Double(step) / Swift.max(1.0, Double(warmup)) }
            return 1
        case let .linearWithWarmup(warmup, total):
            if step < warmup { return Double(step) / Double(Swift.max(1, warmup)) }
            return Swift.max(0.0, Double(total - step) / Double(Swift.max(1, total - warmup)))
        case let .cosineWithWarmup(warmup, total, cycles):
            if step < warmup { return Double(step) / Double(Swift.max(1, warmup)) }
            let progress = Double(step - warmup) / Double(Swift.max(1, total - warmup))
            return Swift.max(0.0, 0.5 * (1.0 + cos(Double.pi * cycles * 2.0 * progress)))
        }
    }

    /// `base · multiplier(atStep: step)`.
    public func learningRate(atStep step: Int, base: Double) -> Double {
        base * multiplier(atStep: step)
    }
}

extension LearningRateSchedule: Codable {
    private enum CodingKeys: String, CodingKey {
        case type
        case warmupSteps = "warmup_steps"
        case trainingSteps = "training_steps"
        case cycles = "num_cycles"
    }

    /// Hugging Face's `lr_scheduler_type` names.
    private enum Kind: String, Codable {
        case constant
        case constantWithWarmup = "constant_with_warmup"
        case linear
        case cosine
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .constant:
            self = .constant
        case .constantWithWarmup:
            self = .constantWithWarmup(warmupSteps: try container.decode(Int.self, forKey: .warmupSteps))
        case .linear:
            self = .linearWithWarmup(
                warmupSteps: try container.decode(Int.self, forKey: .warmupSteps),
                trainingSteps: try container.decode(Int.self, forKey: .trainingSteps))
        case .cosine:
            self = .cosineWithWarmup(
                warmupSteps: try container.decode(Int.self, forKey: .warmupSteps),
                trainingSteps: try container.decode(Int.self, forKey: .trainingSteps),
                cycles: try container.decodeIfPresent(Double.self, forKey: .cycles) ?? 0.5)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .constant:
            try container.encode(Kind.constant, forKey: .type)
        case .constantWithWarmup(let warmup):
            try container.encode(Kind.constantWithWarmup, forKey: .type)
            try container.encode(warmup, forKey: .warmupSteps)
        case let .linearWithWarmup(warmup, total):
            try container.encode(Kind.linear, forKey: .type)
            try container.encode(warmup, forKey: .warmupSteps)
            try container.encode(total, forKey: .trainingSteps)
        case let .cosineWithWarmup(warmup, total, cycles):
            try container.encode(Kind.cosine, forKey: .type)
            try container.encode(warmup, forKey: .warmupSteps)
            try container.encode(total, forKey: .trainingSteps)
            try container.encode(cycles, forKey: .cycles)
        }
    }
}
