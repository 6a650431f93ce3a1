import FinchNN
import FinchTensor
import FinchTransformers

/// A BERT task head run from its word embeddings: the layer Captum's
/// `LayerIntegratedGradients` hooks on `embeddings.word_embeddings`. The
/// word vectors replace the lookup; position and token-type embeddings, the
/// layer norm and everything after it run as in the head's own forward pass
/// (eval mode, so dropout is the identity).
public protocol EmbeddingInputModel: BertTaskHead {
    /// The encoder whose word embeddings are replaced.
    var encoderModel: BertModel { get }
    /// Logits from word vectors `words` [B, S, H] for the batch `input`
    /// (its ids give the types and mask; the ids themselves are not looked up):
    /// [B, labels] for a sequence classifier, [B, S, labels] for a tagger.
    /// Records for autodiff when `words` requires a gradient.
    func logits(words: Tensor, input: BertInput) throws -> Tensor
}

extension BertModel {
    /// Last hidden states [B, S, H] from word vectors [B, S, H]: word + type +
    /// position (Hugging Face's order of addition), layer norm, dropout, encoder.
    public func lastHiddenState(words: Tensor, input: BertInput) throws -> Tensor {
        try validate(input)
        let b = input.batchSize, s = input.sequenceLength
        precondition(words.shape == [b, s, config.hiddenSize], "word vectors \(words.shape) for a \(b)×\(s) batch")
        let e = embeddings
        let types = e.tokenTypeEmbeddings(input.tokenTypeIDs ?? [Int](repeating: 0, count: b * s), shape: [b, s])
        let positions = e.positionEmbeddings(Array(0..<s), shape: [1, s])  // [1, S, H]
        let x = e.dropout(e.layerNorm(words + types + positions))
        return encoder(x, maskBias: Self.maskBias(for: input))
    }

    /// The word-embedding rows of `ids`: [count, H], no gradient.
    public func wordVectors(_ ids: [Int]) -> Tensor {
        withoutGradient { embeddings.wordEmbeddings.weight.value.gatherRows(ids).detached() }
    }
}

extension BertForSequenceClassification: EmbeddingInputModel {
    /// `bert`.
    public var encoderModel: BertModel { bert }

    /// [B, labels]: the pooled output (pooler, [CLS] or mean, as the head reads it) → dropout → classifier.
    public func logits(words: Tensor, input: BertInput) throws -> Tensor {
        let hidden = try bert.lastHiddenState(words: words, input: input)
        let pooled: Tensor
        switch pooling {
        case .pooler:
            guard let pooler = bert.pooler else { throw TaskHeadError.missingPooler(path: "model") }
            pooled = pooler(hidden)
        case .cls, .mean:
            let mode: PoolingMode = pooling == .cls ? .cls : .mean
            pooled = Pooling(config: PoolingConfig(embeddingDimension: bert.config.hiddenSize, modes: [mode]))(
                hidden, attentionMask: input.resolvedAttentionMask)
        }
        return classifier(dropout(pooled))
    }
}

extension BertForTokenClassification: EmbeddingInputModel {
    /// `bert`.
    public var encoderModel: BertModel { bert }

    /// [B, S, labels]: last hidden states → dropout → classifier.
    public func logits(words: Tensor, input: BertInput) throws -> Tensor {
        classifier(dropout(try bert.lastHiddenState(words: words, input: input)))
    }
}
