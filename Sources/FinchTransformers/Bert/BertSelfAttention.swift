import FinchNN
import FinchTensor

/// Multi-head scaled dot-product self-attention (`BertSelfAttention`).
/// Keys: `query`, `key`, `value` (each Linear H → H). Per head h with width
/// d = H / heads: softmax(Q_h K_hᵀ / √d + mask) V_h, heads concatenated.
public final class BertSelfAttention: Module {
    /// `query`: H → H.
    public let query: Linear
    /// `key`: H → H.
    public let key: Linear
    /// `value`: H → H.
    public let value: Linear
    /// Dropout on attention probabilities (attention_probs_dropout_prob).
    public let dropout: Dropout
    /// Heads.
    public let numAttentionHeads: Int
    /// d = H / heads.
    public let attentionHeadSize: Int
    /// Training mode (dropout active in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children by checkpoint key.
    public var children: [(name: String, module: any Module)] { [("query", query), ("key", key), ("value", value), ("dropout", dropout)] }

    /// New projections drawn N(0, initializer_range²) with zero biases.
    public init(config: BertConfig, initializer: inout BertInitializer) {
        let h = config.hiddenSize
        query = initializer.linear(h, h)
        key = initializer.linear(h, h)
        value = initializer.linear(h, h)
        dropout = initializer.dropout(Float(config.attentionProbsDropoutProb))
        numAttentionHeads = config.numAttentionHeads
        attentionHeadSize = config.attentionHeadSize
    }

    /// `hiddenStates` [B, S, H]; `maskBias` [B, 1, 1, S] additive (0 to
    /// attend, a large negative number for padding) or nil. Returns [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, maskBias: Tensor?) -> Tensor {
        let b = hiddenStates.shape[0], s = hiddenStates.shape[1]
        let nh = numAttentionHeads, d = attentionHeadSize
        func heads(_ x: Tensor) -> Tensor { x.reshaped([b, s, nh, d]).permuted([0, 2, 1, 3]) }  // [B, nh, S, d]
        let queryLayer = heads(query(hiddenStates))
        let keyLayer = heads(key(hiddenStates))
        let valueLayer = heads(value(hiddenStates))
        var scores = queryLayer.matmul(keyLayer, transposeB: true) * (1 / Float(d).squareRoot())  // [B, nh, S, S]
        if let maskBias { scores = scores + maskBias }
        let probs = dropout(scores.softmax(axis: -1))
        let context = probs.matmul(valueLayer)  // [B, nh, S, d]
        return context.permuted([0, 2, 1, 3]).reshaped([b, s, nh * d])
    }
}

extension BertSelfAttention {
    /// Inference: Q, K, V projections of `x` [B·S, H] into the workspace,
    /// then for every (batch row, head) pair two GEMMs straight on the
    /// strided head slices (leading dimension H, no permute copies):
    /// scores = Q_h K_hᵀ / √d [S, S], softmax with the row's mask bias, and
    /// context_h = P V_h written into its columns of `context` [B·S, H].
    func infer(
        _ x: UnsafePointer<Float>, batch: Int, sequence s: Int, maskBias: UnsafePointer<Float>?,
        workspace: BertWorkspace, into context: UnsafeMutablePointer<Float>
    ) {
        let nh = numAttentionHeads, d = attentionHeadSize, h = nh * d, tokens = batch * s
        let q = workspace.buffer(.query, count: tokens * h)
        let k = workspace.buffer(.key, count: tokens * h)
        let v = workspace.buffer(.value, count: tokens * h)
        query.infer(x, rows: tokens, into: q)
        key.infer(x, rows: tokens, into: k)
        value.infer(x, rows: tokens, into: v)
        AttentionKernel.run(
            q: q, k: k, v: v, context: context, batch: batch, sequence: s, heads: nh,
            headSize: d, maskBias: maskBias)
    }
}
