import FinchTensor

/// y = x·Wᵀ + b, as `torch.nn.Linear`. `weight` is [out, in] (the checkpoint
/// layout), `bias` [out]. Input [..., in] → output [..., out]; the transpose is
/// handed to BLAS, never copied.
public final class Linear: Module {
    public let weight: Parameter
    public let bias: Parameter?
    public var isTraining = true

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
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
        x.linear(weight: weight.value, bias: bias?.value)
    }
}
