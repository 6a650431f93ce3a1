import FinchNN
import FinchTensor

/// Self-attention followed by its output block (`BertAttention`).
/// Keys: `self` (BertSelfAttention), `output` (BertSelfOutput).
public final class BertAttention: Module {
    /// The reference calls this child `self`.
    public let selfAttention: BertSelfAttention
    /// `output`.
    public let output: BertSelfOutput
    /// Training mode (dropout active in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children by checkpoint key.
    public var children: [(name: String, module: any Module)] { [("self", selfAttention), ("output", output)] }

    /// New sub-blocks.
    public init(config: BertConfig, initializer: inout BertInitializer) {
        selfAttention = BertSelfAttention(config: config, initializer: &initializer)
        output = BertSelfOutput(config: config, initializer: &initializer)
    }

    /// [B, S, H] → [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, maskBias: Tensor?) -> Tensor {
        output(selfAttention(hiddenStates, maskBias: maskBias), hiddenStates)
    }
}
