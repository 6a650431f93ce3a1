import FinchNN
import FinchTensor

/// Projection after attention, dropout, residual and layer norm
/// (`BertSelfOutput`): LayerNorm(dropout(dense(x)) + input).
/// Keys: `dense` (H → H), `LayerNorm`.
public final class BertSelfOutput: Module {
    public let dense: Linear
    public let layerNorm: LayerNorm
    public let dropout: Dropout
    public var isTraining = false

    public var children: [(name: String, module: any Module)] { [("dense", dense), ("LayerNorm", layerNorm), ("dropout", dropout)] }

    /// New weights drawn N(0, initializer_range²), zero bias, unit layer norm.
    public init(config: BertConfig, rng: inout FinchRNG) {
        dense = BertInit.linear(config.hiddenSize, config.hiddenSize, config: config, rng: &rng)
        layerNorm = LayerNorm(dimension: config.hiddenSize, eps: Float(config.layerNormEps))
        dropout = Dropout(probability: Float(config.hiddenDropoutProb), rng: &rng)
    }

    /// `hiddenStates` (attention context) and `inputTensor` (the residual), both [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, _ inputTensor: Tensor) -> Tensor {
        layerNorm(dropout(dense(hiddenStates)) + inputTensor)
    }
}
