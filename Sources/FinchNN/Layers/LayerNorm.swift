import FinchTensor

/// Layer normalization over the last dimension with learned `weight` (γ) and
/// `bias` (β), as `torch.nn.LayerNorm`.
public final class LayerNorm: Module {
    public let weight: Parameter
    public let bias: Parameter
    public let eps: Float
    public var isTraining = true
    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }

    /// γ = 1, β = 0.
    public init(dimension: Int, eps: Float = 1e-5) {
        weight = Parameter(.ones([dimension]))
        bias = Parameter(.zeros([dimension]))
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(weight: weight.value, bias: bias.value, eps: eps)
    }
}
