import FinchNN
import FinchTensor

/// Second half of the feed-forward block with residual and layer norm
/// (`BertOutput`): LayerNorm(dropout(dense(x)) + input).
/// Keys: `dense` (intermediate → H), `LayerNorm`.
public final class BertOutput: Module {
    public let dense: Linear
    public let layerNorm: LayerNorm
    public let dropout: Dropout
    public var isTraining = false

    public var children: [(name: String, module: any Module)] { [("dense", dense), ("LayerNorm", layerNorm), ("dropout", dropout)] }

    /// New weights drawn N(0, initializer_range²), zero bias, unit layer norm.
    public init(config: BertConfig, rng: inout FinchRNG) {
        dense = BertInit.linear(config.intermediateSize, config.hiddenSize, config: config, rng: &rng)
        layerNorm = LayerNorm(dimension: config.hiddenSize, eps: Float(config.layerNormEps))
        dropout = Dropout(probability: Float(config.hiddenDropoutProb), rng: &rng)
    }

    /// `hiddenStates` [B, S, intermediate] and the residual `inputTensor` [B, S, H] → [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, _ inputTensor: Tensor) -> Tensor {
        layerNorm(dropout(dense(hiddenStates)) + inputTensor)
    }
}
