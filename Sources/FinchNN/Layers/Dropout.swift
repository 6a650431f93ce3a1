import FinchTensor

/// Inverted dropout with its own seeded stream: active in training mode only.
public final class Dropout: Module {
    public let probability: Float
    public var isTraining = true
    /// The mask stream; saved with training state so a resumed run draws the same masks.
    public var rng: FinchRNG

    public init(probability: Float, rng: inout FinchRNG) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) must be in [0, 1)")
        self.probability = probability
        self.rng = rng.split()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return x }
        return x.dropout(p: probability, rng: &rng)
    }
}
