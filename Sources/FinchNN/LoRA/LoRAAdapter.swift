import FinchTensor

/// The low-rank update of LoRA (Hu et al., 2021): Δ(x) = s·B·A·drop(x) with
/// A [rank, in], B [out, rank], s = alpha / rank. Held by a `Linear`.
public final class LoRAAdapter: @unchecked Sendable {
    /// A, named `lora_A` under its layer.
    public let down: Linear
    /// B, named `lora_B` under its layer.
    public let up: Linear
    public let rank: Int
    public let alpha: Float
    public let dropout: Dropout

    /// Scaling s = alpha / rank.
    public var scale: Float { alpha / Float(rank) }

    init(inFeatures: Int, outFeatures: Int, rank: Int, alpha: Float, dropout p: Float, rng: inout FinchRNG) {
        precondition(rank > 0, "LoRA rank must be positive")
        // PEFT: A ~ kaiming_uniform(a=√5) = U(−1/√in, 1/√in); B = 0.
        let bound = 1 / Float(inFeatures).squareRoot()
        down = Linear(weight: Tensor.randomUniform([rank, inFeatures], low: -bound, high: bound, rng: &rng), bias: nil)
        up = Linear(weight: Tensor.zeros([outFeatures, rank]), bias: nil)
        self.rank = rank
        self.alpha = alpha
        dropout = Dropout(probability: p, rng: &rng)
    }

    func callAsFunction(_ x: Tensor, training: Bool) -> Tensor {
        dropout.isTraining = training
        return up(down(dropout(x))) * scale
    }
}

/// Options for attaching LoRA adapters to a model.
public struct LoRAConfiguration: Codable, Sendable, Equatable {
    /// Rank r of the update.
    public var rank: Int
    /// Scaling numerator; the update is multiplied by alpha / r.
    public var alpha: Float
    /// Dropout on the adapter's input.
    public var dropout: Float
    /// Last components of the dotted module names to adapt (PEFT's `target_modules`).
    public var targetModules: [String]

    public init(rank: Int = 8, alpha: Float = 16, dropout: Float = 0.1, targetModules: [String] = ["query", "value"]) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targetModules = targetModules
    }
}

extension Module {
    /// Every module under this one with its dotted path.
    public func namedModules(prefix: String = "") -> [(name: String, module: any Module)] {
        var out: [(name: String, module: any Module)] = [(prefix, self)]
        for child in children {
            out += child.module.namedModules(prefix: prefix.isEmpty ? child.name : prefix + "." + child.name)
        }
        return out
    }

    /// Freezes every parameter, then attaches adapters to the `Linear` layers
    /// whose last name component is in `configuration.targetModules`. Returns the
    /// adapted layers' paths; throws when none matched.
    @discardableResult
    public func applyLoRA(_ configuration: LoRAConfiguration, rng: inout FinchRNG) throws -> [String] {
        freeze()
        var adapted: [String] = []
        for (name, module) in namedModules() {
            guard let linear = module as? Linear, linear.lora == nil,
                let last = name.split(separator: ".").last, configuration.targetModules.contains(String(last))
            else { continue }
            linear.attachLoRA(rank: configuration.rank, alpha: configuration.alpha, dropout: configuration.dropout, rng: &rng)
            adapted.append(name)
        }
        if adapted.isEmpty { throw LoRAError.noTargetModules(configuration.targetModules) }
        return adapted
    }

    /// Merges every attached adapter into its base weight.
    public func mergeLoRA() {
        for (_, module) in namedModules() { (module as? Linear)?.mergeLoRA() }
    }
}

/// LoRA set-up problems.
public enum LoRAError: Error, CustomStringConvertible {
    case noTargetModules([String])
    public var description: String {
        switch self {
        case .noTargetModules(let names):
            return "LoRA: no Linear layer is named \(names.joined(separator: " or ")); check --lora-targets"
        }
    }
}
