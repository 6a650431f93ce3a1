import FinchNN
import FinchTensor

/// Word + position + token-type embeddings, then layer norm and dropout
/// (`BertEmbeddings`). Keys: `word_embeddings.weight` [vocab, H],
/// `position_embeddings.weight` [max positions, H],
/// `token_type_embeddings.weight` [type vocab, H], `LayerNorm.{weight,bias}`.
public final class BertEmbeddings: Module {
    /// `word_embeddings`: [vocab, H].
    public let wordEmbeddings: Embedding
    /// `position_embeddings`: [max positions, H].
    public let positionEmbeddings: Embedding
    /// `token_type_embeddings`: [type vocab, H].
    public let tokenTypeEmbeddings: Embedding
    /// `LayerNorm` over H.
    public let layerNorm: LayerNorm
    /// Dropout after the layer norm (hidden_dropout_prob).
    public let dropout: Dropout
    /// `pad_token_id`: as PyTorch's `padding_idx`, its row gets no gradient.
    public let paddingIndex: Int?
    /// Training mode (dropout active in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children by checkpoint key.
    public var children: [(name: String, module: any Module)] {
        [
            ("word_embeddings", wordEmbeddings), ("position_embeddings", positionEmbeddings),
            ("token_type_embeddings", tokenTypeEmbeddings), ("LayerNorm", layerNorm), ("dropout", dropout),
        ]
    }

    /// New embeddings drawn N(0, initializer_range²), the padding row zeroed, as Hugging Face initializes them.
    public init(config: BertConfig, initializer: inout BertInitializer) {
        let h = config.hiddenSize
        paddingIndex = config.padTokenID.flatMap { $0 >= 0 && $0 < config.vocabSize ? $0 : nil }
        let words = initializer.normal([config.vocabSize, h])
        if let pad = config.padTokenID, pad >= 0, pad < config.vocabSize {
            words.withUnsafeMutableStorage { ($0.baseAddress! + pad * h).update(repeating: 0, count: h) }
        }
        wordEmbeddings = Embedding(weight: words)
        positionEmbeddings = Embedding(weight: initializer.normal([config.maxPositionEmbeddings, h]))
        tokenTypeEmbeddings = Embedding(weight: initializer.normal([config.typeVocabSize, h]))
        layerNorm = LayerNorm(dimension: h, eps: Float(config.layerNormEps))
        dropout = initializer.dropout(Float(config.hiddenDropoutProb))
    }

    /// Embeds a batch: [B, S, H]. Token ids and type ids must be in range
    /// (checked by `BertModel` before any work).
    public func callAsFunction(_ input: BertInput) -> Tensor {
        let b = input.batchSize, s = input.sequenceLength
        var words = wordEmbeddings(input.inputIDs, shape: [b, s])  // [B, S, H]
        if let pad = paddingIndex, words.requiresGrad, input.inputIDs.contains(pad) {
            // Same values; the gradient reaches the table only from non-padding tokens.
            let keep = Tensor(shape: [b, s, 1], values: input.inputIDs.map { $0 == pad ? 0 : 1 })
            words = words * keep + words.detached() * (1 - keep)
        }
        let types = tokenTypeEmbeddings(input.tokenTypeIDs ?? [Int](repeating: 0, count: b * s), shape: [b, s])
        let positions = positionEmbeddings(Array(0..<s), shape: [1, s])  // [1, S, H]
        let embeddings = words + types + positions
        return dropout(layerNorm(embeddings))
    }
}

extension BertEmbeddings {
    /// Inference: writes LayerNorm(word + type + position) for every token of
    /// the (validated) batch into `x` [B·S, H]. No dropout, no recording.
    func infer(_ input: BertInput, into x: UnsafeMutablePointer<Float>) {
        let h = layerNorm.weight.shape[0], s = input.sequenceLength, tokens = input.batchSize * s
        let word = wordEmbeddings.weight.value.storage.pointer
        let position = positionEmbeddings.weight.value.storage.pointer
        let type = tokenTypeEmbeddings.weight.value.storage.pointer
        let types = input.tokenTypeIDs ?? [Int](repeating: 0, count: tokens)
        input.inputIDs.withUnsafeBufferPointer { ids in
            types.withUnsafeBufferPointer { tt in
                Parallel.forRanges(tokens, cost: h * 2) { r in
                    for t in r {
                        let row = x + t * h
                        let w = word + ids[t] * h, ty = type + tt[t] * h, p = position + (t % s) * h
                        for j in 0..<h { row[j] = (w[j] + ty[j]) + p[j] }
                    }
                }
            }
        }
        layerNorm.infer(x, rows: tokens, into: x)
    }
}
