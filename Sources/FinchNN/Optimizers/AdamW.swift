import CFinchKernels
import FinchTensor
import Foundation

/// Adam with decoupled weight decay, identical to `torch.optim.AdamW`
/// (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", 2019).
///
/// For each parameter p with gradient g, at its step t (counted per parameter):
/// ```
/// p ← p · (1 − lr·λ)                      (skipped when λ = 0)
/// m ← m + (1 − β₁)(g − m)                 (torch's lerp)
/// v ← β₂·v + (1 − β₂)·g²
/// v̂ ← max(v̂, v)                           (amsgrad only; v̂ replaces v below)
/// p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
/// Scalars are computed in Double from Double hyperparameters, as Python
/// does; element arithmetic is Float32, as PyTorch's CPU kernels.
public final class AdamW: Optimizer {
    /// Hyperparameters; the defaults are PyTorch's (pinned by a test).
    public struct Configuration: Codable, Equatable, Sendable {
        /// Base learning rate (torch `lr`, default 1e-3).
        public var learningRate: Double = 1e-3
        /// Decay of the first moment (torch `betas[0]`, default 0.9).
        public var beta1: Double = 0.9
        /// Decay of the second moment (torch `betas[1]`, default 0.999).
        public var beta2: Double = 0.999
        /// Added to the denominator (torch `eps`, default 1e-8).
        public var epsilon: Double = 1e-8
        /// Decoupled weight decay λ (torch `weight_decay`, default 0.01).
        public var weightDecay: Double = 0.01
        /// Keep the running maximum of v (torch `amsgrad`, default false).
        public var amsgrad: Bool = false

        /// The given settings; omitted ones take PyTorch's defaults.
        public init(
            learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
            weightDecay: Double = 0.01, amsgrad: Bool = false
        ) {
            self.learningRate = learningRate
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
            self.amsgrad = amsgrad
        }
    }

    /// Per-parameter moments; created at a parameter's first update.
    private final class Slot {
        var step = 0
        let expAvg: TensorStorage
        let expAvgSq: TensorStorage
        let maxExpAvgSq: TensorStorage?

        init(expAvg: TensorStorage, expAvgSq: TensorStorage, maxExpAvgSq: TensorStorage?) {
            self.expAvg = expAvg
            self.expAvgSq = expAvgSq
            self.maxExpAvgSq = maxExpAvgSq
        }

        convenience init(count: Int, amsgrad: Bool) {
            self.init(
                expAvg: TensorStorage(count: count, repeating: 0), expAvgSq: TensorStorage(count: count, repeating: 0),
                maxExpAvgSq: amsgrad ? TensorStorage(count: count, repeating: 0) : nil)
        }
    }

    /// Name used in exported state.
    public static let kind = "AdamW"

    public let parameters: [(name: String, parameter: Parameter)]
    /// The hyperparameters given at creation.
    public let configuration: Configuration
    public var learningRate: Double
    /// Weight decay per parameter: the configured λ, or 0 for names in `noWeightDecay`.
    public let weightDecays: [Double]
    private var slots: [Slot?]

    /// An optimizer over `parameters`. Names in `noWeightDecay` get λ = 0 (a
    /// second parameter group, as Hugging Face's Trainer builds for biases and
    /// LayerNorm weights; see `WeightDecay.huggingFaceExemptions(in:)`).
    /// Throws `OptimizerError` for the settings PyTorch rejects and for
    /// duplicate names.
    public init(
        parameters: [(name: String, parameter: Parameter)], configuration: Configuration = Configuration(),
        noWeightDecay: Set<String> = []
    ) throws {
        try OptimizerValidation.nonNegative("learningRate", configuration.learningRate)
        try OptimizerValidation.nonNegative("epsilon", configuration.epsilon)
        try OptimizerValidation.unitInterval("beta1", configuration.beta1)
        try OptimizerValidation.unitInterval("beta2", configuration.beta2)
        try OptimizerValidation.nonNegative("weightDecay", configuration.weightDecay)
        try OptimizerValidation.uniqueNames(parameters)
        self.parameters = parameters
        self.configuration = configuration
        self.learningRate = configuration.learningRate
        self.weightDecays = parameters.map { noWeightDecay.contains($0.name) ? 0 : configuration.weightDecay }
        self.slots = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        let (beta1, beta2) = (configuration.beta1, configuration.beta2)
        for (index, entry) in parameters.enumerated() {
            guard let grad = entry.parameter.grad else { continue }
            let value = entry.parameter.value
            precondition(grad.shape == value.shape, "gradient \(grad.shape) for parameter \(entry.name) \(value.shape)")
            let slot = slots[index] ?? Slot(count: value.count, amsgrad: configuration.amsgrad)
            slots[index] = slot
            slot.step += 1
            let t = Double(slot.step)
            let weightDecay = weightDecays[index]
            let biasCorrection2Sqrt = (1 - Foundation.pow(beta2, t)).squareRoot()
            let kernel = AdamWKernel(
                decayFactor: weightDecay != 0 ? Float(1 - learningRate * weightDecay) : 1,
                oneMinusBeta1: Float(1 - beta1), beta2: Float(beta2), oneMinusBeta2: Float(1 - beta2),
                biasCorrection2Sqrt: Float(biasCorrection2Sqrt), epsilon: Float(configuration.epsilon),
                negativeStepSize: Float(-(learningRate / (1 - Foundation.pow(beta1, t)))))
            let p = value.storage.pointer, g = grad.storage.pointer
            let m = slot.expAvg.pointer, v = slot.expAvgSq.pointer, vMax = slot.maxExpAvgSq?.pointer
            Parallel.forRanges(value.count, cost: 16) { range in
                kernel.apply(p: p, g: g, m: m, v: v, vMax: vMax, range: range)
            }
        }
    }

    public func exportState() -> OptimizerState {
        var steps: [String: Int] = [:]
        var tensors: [String: Tensor] = [:]
        for (index, entry) in parameters.enumerated() {
            guard let slot = slots[index] else { continue }
            let shape = entry.parameter.shape
            steps[entry.name] = slot.step
            tensors[entry.name + ".exp_avg"] = Tensor(shape: shape, storage: slot.expAvg).copy()
            tensors[entry.name + ".exp_avg_sq"] = Tensor(shape: shape, storage: slot.expAvgSq).copy()
            if let maxExpAvgSq = slot.maxExpAvgSq {
                tensors[entry.name + ".max_exp_avg_sq"] = Tensor(shape: shape, storage: maxExpAvgSq).copy()
            }
        }
        return OptimizerState(kind: Self.kind, steps: steps, tensors: tensors)
    }

    public func importState(_ state: OptimizerState) throws {
        let amsgrad = configuration.amsgrad
        let buffers = try OptimizerValidation.buffers(from: state, kind: Self.kind, parameters: parameters) { _ in
            amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"]
        }
        slots = parameters.map { entry in
            guard let step = state.steps[entry.name], let m = buffers[entry.name + ".exp_avg"],
                let v = buffers[entry.name + ".exp_avg_sq"]
            else { return nil }
            let slot = Slot(expAvg: m, expAvgSq: v, maxExpAvgSq: buffers[entry.name + ".max_exp_avg_sq"])
            slot.step = step
            return slot
        }
    }
}

/// The element-wise AdamW update with its scalars fixed for one parameter and step.
struct AdamWKernel {
    let decayFactor: Float
    let oneMinusBeta1: Float
    let beta2: Float
    let oneMinusBeta2: Float
    let biasCorrection2Sqrt: Float
    let epsilon: Float
    let negativeStepSize: Float

    /// Updates elements `range` of parameter `p`, moments `m`, `v` (and the
    /// running maximum `vMax` when amsgrad) from gradient `g`, in place, in one
    /// pass (`finch_adamw`, AVX-512 where available). Operation order follows
    /// PyTorch's kernels (`mul_`, `lerp_`, `mul_().addcmul_()`, `addcdiv_` =
    /// p + (s·m) / d), with no fused multiply-adds, so every kernel level gives
    /// the same bits; multiplying by a `decayFactor` of 1 leaves p unchanged, so
    /// λ = 0 needs no branch.
    @inline(__always)
    func apply(
        p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, vMax: UnsafeMutablePointer<Float>?, range: Range<Int>
    ) {
        let lo = range.lowerBound
        finch_adamw(
            p + lo, g + lo, m + lo, v + lo, vMax.map { $0 + lo }, range.count, decayFactor, oneMinusBeta1, beta2,
            oneMinusBeta2, biasCorrection2Sqrt, epsilon, negativeStepSize)
    }
}
