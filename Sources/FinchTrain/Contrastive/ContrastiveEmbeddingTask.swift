import FinchNN
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// A batch of tokenized (anchor, positive) pairs, built whole beforehand
/// (`ContrastivePairBatches`) so that no text appears twice in it.
public struct EncodedPairBatch: Sendable, Equatable {
    /// The anchors (queries), one per pair.
    public var anchors: [EncodedText]
    /// The positives, `positives[i]` being the match of `anchors[i]`.
    public var positives: [EncodedText]
}

/// Contrastive fine-tuning of a sentence embedder on (anchor, positive) text
/// pairs with in-batch negatives (`MultipleNegativesRankingLoss`). The
/// embedder's own pooling and normalization make the sentence vectors; the
/// encoder trains. One training example is one whole batch of pairs (built
/// without duplicate texts), so the Trainer runs with a batch size of 1 and
/// shuffles the order of the batches; the exported folder is an embedder with
/// the same pooling, normalization, maximum length and tokenizer files.
public final class ContrastiveEmbeddingTask: TrainingTask {
    /// The embedder whose encoder trains.
    public let embedder: SentenceEmbedder
    /// Its tokenizer.
    public let tokenizer: Tokenizer
    /// Where the tokenizer files come from (copied next to the saved model).
    public let tokenizerDirectory: URL
    /// Tokens per text, special tokens included.
    public let maxLength: Int
    /// The loss (scale 20 by default).
    public let objective: MultipleNegativesRankingLoss

    /// The encoder, as the Trainer sees it.
    public var model: any Module { embedder.model }
    /// The encoder's word embeddings (FGM).
    public var wordEmbeddingKey: String? { "embeddings.word_embeddings.weight" }
    /// `loss` (mean MNRL over the batches); evaluations also report `hit_at_1`.
    public var reportedMetrics: [TrainingMetric]? { [.loss] }

    /// A task training `embedder`'s encoder; texts cut at `maxLength` tokens (at most the embedder's `maxSequenceLength`).
    public init(
        embedder: SentenceEmbedder, tokenizer: Tokenizer, tokenizerDirectory: URL, maxLength: Int,
        objective: MultipleNegativesRankingLoss = MultipleNegativesRankingLoss()
    ) {
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.tokenizerDirectory = tokenizerDirectory
        self.maxLength = Swift.min(maxLength, embedder.maxSequenceLength)
        self.objective = objective
    }

    /// Tokenizes `texts`, truncated to `maxLength`.
    public func encode(_ texts: [String]) throws -> [EncodedText] {
        try tokenizer.encode(batch: texts.map { (text: $0, pair: nil) }, truncation: Truncation(maxLength: maxLength))
            .map { EncodedText(ids: $0.ids, typeIDs: $0.typeIDs, line: 0) }
    }

    /// The pairs tokenized, in batches of at most `batchSize` without a text twice in a batch
    /// (`ContrastivePairBatches`, shuffled with `seed`).
    public func encode(_ pairs: [ContrastivePair], batchSize: Int, seed: UInt64) throws -> [EncodedPairBatch] {
        let anchors = try encode(pairs.map(\.anchor)), positives = try encode(pairs.map(\.positive))
        return ContrastivePairBatches.batches(pairs, batchSize: batchSize, seed: seed).map { indices in
            EncodedPairBatch(anchors: indices.map { anchors[$0] }, positives: indices.map { positives[$0] })
        }
    }

    /// Tokens of the batch.
    public func length(of example: EncodedPairBatch) -> Int {
        (example.anchors + example.positives).reduce(0) { $0 + $1.ids.count }
    }

    /// Sentence vectors [N, D] through the differentiable path (dropout in training mode).
    public func vectors(_ texts: [EncodedText]) throws -> Tensor {
        let input = BertInput(padding: texts.map(\.ids), tokenTypeIDs: texts.map(\.typeIDs), padTokenID: embedder.padTokenID)
        let pooled = embedder.pooling(try embedder.model(input).lastHiddenState, attentionMask: input.resolvedAttentionMask)
        return embedder.normalizes ? pooled.l2Normalized() : pooled
    }

    /// The loss of one pair batch (the Trainer's batch holds exactly one).
    public func loss(on batch: [EncodedPairBatch]) throws -> Tensor {
        precondition(batch.count == 1, "contrastive batches are built beforehand; train with a batch size of 1")
        return objective(anchors: try vectors(batch[0].anchors), positives: try vectors(batch[0].positives))
    }

    /// `loss`: the mean MNRL over the batches; `hit_at_1`: the share of
    /// anchors whose own positive scores highest in their batch.
    public func evaluate(_ examples: [EncodedPairBatch]) throws -> Evaluation {
        var total = 0.0, hits = 0, count = 0
        for batch in examples {
            let scores = try withoutGradient {
                objective.scores(anchors: try vectors(batch.anchors), positives: try vectors(batch.positives))
            }
            total += Double(scores.crossEntropy(targets: Array(0..<batch.anchors.count)).item) * Double(batch.anchors.count)
            hits += zip(scores.argmax(axis: 1), 0...).filter { $0 == $1 }.count
            count += batch.anchors.count
        }
        let loss = total / Double(Swift.max(count, 1)), hit = Double(hits) / Double(Swift.max(count, 1))
        return Evaluation(
            metrics: ["loss": loss, "hit_at_1": hit],
            report: String(format: "%d pairs in %d batches: loss %.6g, in-batch hit@1 %.4f", count, examples.count, loss, hit),
            json: String(format: "{\"loss\":%.17g,\"hit_at_1\":%.17g}", loss, hit))
    }

    /// Writes the embedder (pooling, normalization, maximum length as loaded) with its tokenizer files.
    public func saveModel(to directory: URL) throws {
        try embedder.save(to: directory)
        try TokenizerFiles.copy(from: tokenizerDirectory, to: directory)
    }
}
