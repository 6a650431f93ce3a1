import FinchNN
import Foundation

/// A fine-tuning setting that `finch tune` can search, named as the
/// `finch train classify|ner` flag that sets it (without the dashes).
public enum TunableSetting: String, CaseIterable, Sendable {
    /// `--lr`: the peak learning rate.
    case learningRate = "lr"
    /// `--batch-size`.
    case batchSize = "batch-size"
    /// `--warmup-ratio`, in [0, 1).
    case warmupRatio = "warmup-ratio"
    /// `--weight-decay`, ≥ 0.
    case weightDecay = "weight-decay"
    /// `--epochs`.
    case epochs
    /// `--max-length`, at least 4.
    case maxLength = "max-length"
    /// `--schedule`: constant, linear or cosine.
    case schedule
    /// `--max-grad-norm`, > 0.
    case maxGradNorm = "max-grad-norm"
    /// `--gradient-accumulation-steps`.
    case gradientAccumulationSteps = "gradient-accumulation-steps"
    /// `--lora-rank`: trains LoRA adapters of that rank (alpha 2 × rank, dropout 0.1,
    /// query and value unless the base request has its own LoRA settings).
    case loraRank = "lora-rank"
    /// `--freeze-layers`.
    case freezeLayers = "freeze-layers"
    /// `--adversarial-epsilon`, > 0.
    case adversarialEpsilon = "adversarial-epsilon"

    /// What values a setting takes.
    public enum Kind: Sendable, Equatable {
        /// Real numbers.
        case real
        /// Whole numbers.
        case integer
        /// One of these words.
        case choice([String])
    }

    /// What values the setting takes.
    public var kind: Kind {
        switch self {
        case .learningRate, .warmupRatio, .weightDecay, .maxGradNorm, .adversarialEpsilon: return .real
        case .batchSize, .epochs, .maxLength, .gradientAccumulationSteps, .loraRank, .freezeLayers: return .integer
        case .schedule: return .choice(ScheduleKind.allCases.map(\.rawValue))
        }
    }

    /// Whether a number is a valid value, and the valid range in words.
    var range: (contains: (Double) -> Bool, words: String) {
        switch self {
        case .learningRate: return ({ $0 > 0 }, "must be above 0")
        case .warmupRatio: return ({ $0 >= 0 && $0 < 1 }, "must be in [0, 1)")
        case .weightDecay: return ({ $0 >= 0 }, "must be at least 0")
        case .maxGradNorm, .adversarialEpsilon: return ({ $0 > 0 }, "must be above 0")
        case .batchSize, .epochs, .gradientAccumulationSteps, .loraRank: return ({ $0 >= 1 }, "must be at least 1")
        case .maxLength: return ({ $0 >= 4 }, "must be at least 4")
        case .freezeLayers: return ({ $0 >= 0 }, "must be at least 0")
        case .schedule: return ({ _ in true }, "")
        }
    }

    /// Sets the setting in `request` to `value` (of the setting's kind, as the search space makes it).
    public func apply(_ value: TuneValue, to r: inout FineTuningRequest) {
        let real = value.number ?? 0
        let whole = Int(real)
        switch self {
        case .learningRate: r.training.learningRate = real
        case .batchSize: r.training.batchSize = whole
        case .warmupRatio:
            r.training.warmupRatio = real
            r.training.warmupSteps = nil
        case .weightDecay: r.training.weightDecay = real
        case .epochs: r.training.epochs = whole
        case .maxLength: r.maxLength = whole
        case .schedule: r.training.schedule = ScheduleKind(rawValue: value.description) ?? r.training.schedule
        case .maxGradNorm: r.training.maxGradNorm = real
        case .gradientAccumulationSteps: r.training.gradientAccumulationSteps = whole
        case .loraRank:
            var lora = r.lora ?? LoRAConfiguration(rank: whole, alpha: Float(2 * whole), dropout: 0.1, targetModules: ["query", "value"])
            if r.lora == nil || lora.alpha == Float(2 * lora.rank) { lora.alpha = Float(2 * whole) }
            lora.rank = whole
            r.lora = lora
        case .freezeLayers: r.freezeLayers = whole
        case .adversarialEpsilon: r.training.adversarialEpsilon = real
        }
    }
}
