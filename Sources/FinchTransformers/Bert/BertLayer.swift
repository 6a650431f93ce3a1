import FinchNN
import FinchTensor

/// One transformer block (`BertLayer`): attention, then the feed-forward
/// block. Keys: `attention`, `intermediate`, `output`.
public final class BertLayer: Module {
    public let attention: BertAttention
    public let intermediate: BertIntermediate
    public let output: BertOutput
    public var isTraining = false

    public var children: [(name: String, module: any Module)] {
        [("attention", attention), ("intermediate", intermediate), ("output", output)]
    }

    /// New block.
    public init(config: BertConfig, rng: inout FinchRNG) {
        attention = BertAttention(config: config, rng: &rng)
        intermediate = BertIntermediate(config: config, rng: &rng)
        output = BertOutput(config: config, rng: &rng)
    }

    /// [B, S, H] → [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, maskBias: Tensor?) -> Tensor {
        let attentionOutput = attention(hiddenStates, maskBias: maskBias)
        return output(intermediate(attentionOutput), attentionOutput)
    }
}
