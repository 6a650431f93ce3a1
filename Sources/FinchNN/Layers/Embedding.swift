import FinchTensor

/// Lookup table `weight` [count, dim], as `torch.nn.Embedding`.
public final class Embedding: Module {
    public let weight: Parameter
    public var isTraining = true
    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }

    /// N(0, 1) initialization, as PyTorch.
    public init(count: Int, dimension: Int, rng: inout FinchRNG) {
        weight = Parameter(Tensor.randomNormal([count, dimension], rng: &rng))
    }

    /// Wraps an existing table.
    public init(weight: Tensor) { self.weight = Parameter(weight) }

    /// Rows for `ids`, shaped `shape + [dim]`.
    public func callAsFunction(_ ids: [Int], shape: [Int]) -> Tensor {
        weight.value.gatherRows(ids, indexShape: shape)
    }
}
