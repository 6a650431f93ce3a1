import FinchNN
import FinchTensor

/// Word + position + token-type embeddings, then layer norm and dropout
/// (`BertEmbeddings`). Keys: `word_embeddings.weight` [vocab, H],
/// `position_embeddings.weight` [max positions, H],
/// `token_type_embeddings.weight` [type vocab, H], `LayerNorm.{weight,bias}`.
public final class BertEmbeddings: Module {
    public let wordEmbeddings: Embedding
    public let positionEmbeddings: Embedding
    public let tokenTypeEmbeddings: Embedding
    public let layerNorm: LayerNorm
    public let dropout: Dropout
    public var isTraining = false

    public var children: [(name: String, module: any Module)] {
        [("word_embeddings", wordEmbeddings), ("position_embeddings", positionEmbeddings),
         ("token_type_embeddings", tokenTypeEmbeddings), ("LayerNorm", layerNorm), ("dropout", dropout)]
    }

    /// New embeddings drawn N(0, initializer_range²), the padding row zeroed, as Hugging Face initializes them.
    public init(config: BertConfig, rng: inout FinchRNG) {
        let h = config.hiddenSize, std = Float(config.initializerRange)
        var words = Tensor.randomNormal([config.vocabSize, h], std: std, rng: &rng)
        if let pad = config.padTokenID, pad >= 0, pad < config.vocabSize {
            words.withUnsafeMutableStorage { ($0.baseAddress! + pad * h).initialize(repeating: 0, count: h) }
            words = words.detached()
        }
        wordEmbeddings = Embedding(weight: words)
        positionEmbeddings = Embedding(weight: .randomNormal([config.maxPositionEmbeddings, h], std: std, rng: &rng))
        tokenTypeEmbeddings = Embedding(weight: .randomNormal([config.typeVocabSize, h], std: std, rng: &rng))
        layerNorm = LayerNorm(dimension: h, eps: Float(config.layerNormEps))
        dropout = Dropout(probability: Float(config.hiddenDropoutProb), rng: &rng)
    }

    /// Embeds a batch: [B, S, H]. Token ids and type ids must be in range
    /// (checked by `BertModel` before any work).
    public func callAsFunction(_ input: BertInput) -> Tensor {
        let b = input.batchSize, s = input.sequenceLength
        let words = wordEmbeddings(input.inputIDs, shape: [b, s])  // [B, S, H]
        let types = tokenTypeEmbeddings(input.tokenTypeIDs ?? [Int](repeating: 0, count: b * s), shape: [b, s])
        let positions = positionEmbeddings(Array(0..<s), shape: [1, s])  // [1, S, H]
        let embeddings = words + types + positions
        return dropout(layerNorm(embeddings))
    }
}
