import FinchNN
import FinchTensor

/// Projection after attention, dropout, residual and layer norm
/// (`BertSelfOutput`): LayerNorm(dropout(dense(x)) + input).
/// Keys: `dense` (H → H), `LayerNorm`.
public final class BertSelfOutput: Module {
    /// `dense`: H → H.
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
        dense = initializer.linear(config.hiddenSize, config.hiddenSize)
        layerNorm = LayerNorm(dimension: config.hiddenSize, eps: Float(config.layerNormEps))
        dropout = initializer.dropout(Float(config.hiddenDropoutProb))
    }

    /// `hiddenStates` (attention context) and `inputTensor` (the residual), both [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, _ inputTensor: Tensor) -> Tensor {
        layerNorm(dropout(dense(hiddenStates)) + inputTensor)
    }
}

extension BertSelfOutput {
    /// Inference: `residual` ← LayerNorm(dense(context) + residual), rows [B·S, H].
    func infer(
        _ context: UnsafePointer<Float>, residual: UnsafeMutablePointer<Float>, rows: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        dense.infer(context, rows: rows, into: scratch, residual: residual)
        layerNorm.infer(scratch, rows: rows, into: residual)
    }
}
