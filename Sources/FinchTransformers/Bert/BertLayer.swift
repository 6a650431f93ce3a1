import FinchNN
import FinchTensor

/// One transformer block (`BertLayer`): attention, then the feed-forward
/// block. Keys: `attention`, `intermediate`, `output`.
public final class BertLayer: Module {
    /// `attention`.
    public let attention: BertAttention
    /// `intermediate`.
    public let intermediate: BertIntermediate
    /// `output`.
    public let output: BertOutput
    /// Training mode (dropout active in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children by checkpoint key.
    public var children: [(name: String, module: any Module)] {
        [("attention", attention), ("intermediate", intermediate), ("output", output)]
    }

    /// New block.
    public init(config: BertConfig, initializer: inout BertInitializer) {
        attention = BertAttention(config: config, initializer: &initializer)
        intermediate = BertIntermediate(config: config, initializer: &initializer)
        output = BertOutput(config: config, initializer: &initializer)
    }

    /// [B, S, H] → [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, maskBias: Tensor?) -> Tensor {
        let attentionOutput = attention(hiddenStates, maskBias: maskBias)
        return output(intermediate(attentionOutput), attentionOutput)
    }
}

extension BertLayer {
    /// Inference: updates the hidden states `x` [B·S, H] in place.
    func infer(
        _ x: UnsafeMutablePointer<Float>, batch: Int, sequence: Int, maskBias: UnsafePointer<Float>?,
        workspace: BertWorkspace
    ) {
        let rows = batch * sequence, h = attention.output.dense.outFeatures
        let context = workspace.buffer(.context, count: rows * h)
        let scratch = workspace.buffer(.residual, count: rows * h)
        attention.selfAttention.infer(
            x, batch: batch, sequence: sequence, maskBias: maskBias,
            workspace: workspace, into: context)
        attention.output.infer(context, residual: x, rows: rows, scratch: scratch)
        let inter = workspace.buffer(.intermediate, count: rows * intermediate.dense.outFeatures)
        intermediate.infer(x, rows: rows, into: inter)
        output.infer(inter, residual: x, rows: rows, scratch: scratch)
    }
}
