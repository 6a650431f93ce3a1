import FinchNN
import FinchTensor

/// Hugging Face's `_init_weights` for new BERT weights: Linear and Embedding
/// weights N(0, initializer_range²), biases zero, layer norms γ = 1, β = 0.
/// In `.zeros` mode no numbers are drawn (the weights are about to be
/// loaded); dropout streams are split from the generator in both modes.
public struct BertInitializer {
    /// Random draws, or zeros for weights that will be overwritten.
    public enum Mode: Sendable { case random, zeros }

    /// The generator new weights and dropout streams come from.
    public var rng: FinchRNG
    /// Whether weights are drawn.
    public let mode: Mode
    /// Standard deviation of drawn weights (`initializer_range`).
    public let std: Float

    /// An initializer for `config`.
    public init(config: BertConfig, mode: Mode = .random, rng: FinchRNG) {
        self.rng = rng
        self.mode = mode
        self.std = Float(config.initializerRange)
    }

    /// A weight of `shape`: N(0, std²), or zeros.
    public mutating func normal(_ shape: [Int]) -> Tensor {
        mode == .random ? Tensor.randomNormal(shape, std: std, rng: &rng) : Tensor.zeros(shape)
    }

    /// A Linear in → out with a normal weight and zero bias.
    public mutating func linear(_ inFeatures: Int, _ outFeatures: Int) -> Linear {
        Linear(weight: normal([outFeatures, inFeatures]), bias: .zeros([outFeatures]))
    }

    /// Dropout with its own stream split from the generator.
    public mutating func dropout(_ probability: Float) -> Dropout {
        Dropout(probability: probability, rng: &rng)
    }
}
