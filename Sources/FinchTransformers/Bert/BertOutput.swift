import FinchNN
import FinchTensor

/// Second half of the feed-forward block with residual and layer norm
/// (`BertOutput`): LayerNorm(dropout(dense(x)) + input).
/// Keys: `dense` (intermediate → H), `LayerNorm`.
public final class BertOutput: Module {
    /// `dense`: intermediate → H.
    public let dense: Linear
    /// `LayerNorm` over H.
    public let layerNorm: LayerNorm
    /// Dropout on the projection (hidden_dropout_prob).
    public let dropout: Dropout
    /// Training mode (dropout active in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children by checkpoint key.
    public var children: [(name: String, module: any Module)] { [("dense", dense), ("LayerNorm", layerNorm), ("dropout", dropout)] }

    /// New weights drawn N(0, initializer_range²), zero bias, unit layer norm.
    public init(config: BertConfig, initializer: inout BertInitializer) {
        dense = initializer.linear(config.intermediateSize, config.hiddenSize)
        layerNorm = LayerNorm(dimension: config.hiddenSize, eps: Float(config.layerNormEps))
        dropout = initializer.dropout(Float(config.hiddenDropoutProb))
    }

    /// `hiddenStates` [B, S, intermediate] and the residual `inputTensor` [B, S, H] → [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, _ inputTensor: Tensor) -> Tensor {
        layerNorm(dropout(dense(hiddenStates)) + inputTensor)
    }
}

extension BertOutput {
    /// Inference: `residual` ← LayerNorm(dense(intermediate) + residual), rows [B·S, H].
    func infer(
        _ intermediate: UnsafePointer<Float>, residual: UnsafeMutablePointer<Float>, rows: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        dense.infer(intermediate, rows: rows, into: scratch, residual: residual)
        layerNorm.infer(scratch, rows: rows, into: residual)
    }
}
