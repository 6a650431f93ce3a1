import FinchNN
import FinchTensor

/// First half of the feed-forward block (`BertIntermediate`): act(dense(x)).
/// Keys: `dense` (H → intermediate).
public final class BertIntermediate: Module {
    /// `dense`: H → intermediate.
    public let dense: Linear
    /// `hidden_act`.
    public let activation: BertActivation
    /// Training mode (dropout active in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children by checkpoint key.
    public var children: [(name: String, module: any Module)] { [("dense", dense)] }

    /// New weights drawn N(0, initializer_range²), zero bias.
    public init(config: BertConfig, initializer: inout BertInitializer) {
        dense = initializer.linear(config.hiddenSize, config.intermediateSize)
        activation = config.hiddenAct
    }

    /// [B, S, H] → [B, S, intermediate].
    public func callAsFunction(_ hiddenStates: Tensor) -> Tensor {
        activation.apply(dense(hiddenStates))
    }
}

extension BertActivation {
    /// The activation as a differentiable tensor op.
    public func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .gelu: return x.gelu()
        case .geluNew, .geluPytorchTanh, .geluFast: return x.geluTanh()
        case .relu: return x.relu()
        case .silu, .swish: return x * x.sigmoid()
        }
    }
}

extension BertIntermediate {
    /// Inference: `y` [rows, intermediate] = act(dense(x)).
    func infer(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let n = dense.outFeatures
        if let bias = dense.bias {
            dense.infer(x, rows: rows, into: y, addsBias: false)  // bias fused into the activation pass
            activation.applyInPlace(y, rows: rows, n: n, bias: bias.value.storage.pointer)
        } else {
            dense.infer(x, rows: rows, into: y)
            let zeros = [Float](repeating: 0, count: n)
            zeros.withUnsafeBufferPointer { activation.applyInPlace(y, rows: rows, n: n, bias: $0.baseAddress!) }
        }
    }
}
