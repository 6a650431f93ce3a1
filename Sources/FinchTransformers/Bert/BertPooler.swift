import FinchNN
import FinchTensor

/// tanh(dense(first token)) (`BertPooler`). Keys: `dense` (H → H).
public final class BertPooler: Module {
    public let dense: Linear
    public var isTraining = false

    public var children: [(name: String, module: any Module)] { [("dense", dense)] }

    /// New weights drawn N(0, initializer_range²), zero bias.
    public init(config: BertConfig, rng: inout FinchRNG) {
        dense = BertInit.linear(config.hiddenSize, config.hiddenSize, config: config, rng: &rng)
    }

    /// `hiddenStates` [B, S, H] → [B, H].
    public func callAsFunction(_ hiddenStates: Tensor) -> Tensor {
        let b = hiddenStates.shape[0], h = hiddenStates.shape[2]
        let first = hiddenStates.slice(axis: 1, 0..<1).reshaped([b, h])
        return dense(first).tanh()
    }
}

/// Hugging Face's `_init_weights` for new BERT weights.
enum BertInit {
    /// A Linear in → out with weight N(0, initializer_range²) and zero bias.
    static func linear(_ inFeatures: Int, _ outFeatures: Int, config: BertConfig, rng: inout FinchRNG) -> Linear {
        Linear(weight: .randomNormal([outFeatures, inFeatures], std: Float(config.initializerRange), rng: &rng),
               bias: .zeros([outFeatures]))
    }
}
