import FinchTensor

/// y = x·Wᵀ + b, as `torch.nn.Linear`. `weight` is [out, in] (the checkpoint
/// layout), `bias` [out]. Input [..., in] → output [..., out]; the transpose is
/// handed to BLAS, never copied.
///
/// A LoRA adapter can be attached (`attachLoRA`): the layer then computes
/// x·Wᵀ + b + s·(drop(x)·Aᵀ)·Bᵀ with s = alpha / rank, and its adapter
/// matrices appear under the PEFT names `lora_A.weight` [rank, in] and
/// `lora_B.weight` [out, rank].
public final class Linear: Module {
    public let weight: Parameter
    public let bias: Parameter?
    public var isTraining = true
    /// The attached low-rank adapter, if any.
    public private(set) var lora: LoRAAdapter?

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public var children: [(name: String, module: any Module)] {
        guard let lora else { return [] }
        return [("lora_A", lora.down), ("lora_B", lora.up), ("lora_dropout", lora.dropout)]
    }

    /// Initialized as PyTorch does: U(−1/√in, 1/√in) for weight and bias.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, rng: inout FinchRNG) {
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Parameter(Tensor.randomUniform([outFeatures, inFeatures], low: -bound, high: bound, rng: &rng))
        self.bias = bias ? Parameter(Tensor.randomUniform([outFeatures], low: -bound, high: bound, rng: &rng)) : nil
    }

    /// Wraps existing values.
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear weight must be [out, in], got \(weight.shape)")
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    /// Applies the layer to `x` [..., in].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = x.linear(weight: weight.value, bias: bias?.value)
        guard let lora else { return y }
        return y + lora(x, training: isTraining)
    }

    /// Attaches a LoRA adapter (A ~ Kaiming-uniform as PEFT, B = 0, so the
    /// layer's output is unchanged until training moves B) and freezes the
    /// base weight and bias.
    public func attachLoRA(rank: Int, alpha: Float, dropout: Float = 0, rng: inout FinchRNG) {
        lora = LoRAAdapter(inFeatures: inFeatures, outFeatures: outFeatures, rank: rank, alpha: alpha, dropout: dropout, rng: &rng)
        weight.isTrainable = false
        bias?.isTrainable = false
    }

    /// Folds the adapter into the weight (W += s·B·A) and removes it, leaving a
    /// plain layer whose outputs equal the adapted one's (in eval mode).
    public func mergeLoRA() {
        guard let lora else { return }
        let delta = lora.up.weight.value.matmul(lora.down.weight.value) * lora.scale  // [out, in]
        weight.assign(withoutGradient { weight.value.detached() + delta })
        self.lora = nil
    }
}
