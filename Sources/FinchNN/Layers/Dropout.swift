import FinchTensor

/// Inverted dropout with its own seeded stream: active in training mode only.
public final class Dropout: Module {
    public let probability: Float
    public var isTraining = true
    /// The mask stream; saved with training state so a resumed run draws the same masks.
    public var rng: FinchRNG
    /// When set, the mask (0 or 1/(1−p) per element, in the input's shape) comes from here
    /// instead of the stream. Data-parallel training keys masks by sample and step this
    /// way, so that a batch split across processes draws the masks one process would.
    public var maskSource: ((_ shape: [Int]) -> Tensor)? = nil

    public init(probability: Float, rng: inout FinchRNG) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) must be in [0, 1)")
        self.probability = probability
        self.rng = rng.split()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return x }
        if let maskSource { return x * maskSource(x.shape) }
        return x.dropout(p: probability, rng: &rng)
    }
}
