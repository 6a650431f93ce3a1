import CFinchKernels
import FinchNN
import FinchTensor

/// tanh(dense(first token)) (`BertPooler`). Keys: `dense` (H → H).
public final class BertPooler: Module {
    /// `dense`: H → H.
    public let dense: Linear
    /// Training mode (dropout active in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children by checkpoint key.
    public var children: [(name: String, module: any Module)] { [("dense", dense)] }

    /// New weights drawn N(0, initializer_range²), zero bias.
    public init(config: BertConfig, initializer: inout BertInitializer) {
        dense = initializer.linear(config.hiddenSize, config.hiddenSize)
    }

    /// `hiddenStates` [B, S, H] → [B, H].
    public func callAsFunction(_ hiddenStates: Tensor) -> Tensor {
        let b = hiddenStates.shape[0], h = hiddenStates.shape[2]
        let first = hiddenStates.slice(axis: 1, 0..<1).reshaped([b, h])
        return dense(first).tanh()
    }
}

extension BertPooler {
    /// Inference: tanh(dense(x[b, 0])) for each row of the batch into `y` [B, H].
    func infer(
        _ x: UnsafePointer<Float>, batch: Int, sequence: Int, workspace: BertWorkspace,
        into y: UnsafeMutablePointer<Float>
    ) {
        let h = dense.inFeatures
        let first = workspace.buffer(.context, count: batch * h)
        for b in 0..<batch { (first + b * h).update(from: x + b * sequence * h, count: h) }
        dense.infer(first, rows: batch, into: y)
        finch_tanh(y, batch * dense.outFeatures)
    }
}
