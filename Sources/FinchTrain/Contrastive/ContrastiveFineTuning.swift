import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// Contrastive fine-tuning of a sentence embedder (a sentence-transformers
/// folder, or a plain encoder folder, which gets mean pooling) on
/// (query, text) pairs with in-batch negatives: sentence-transformers'
/// `MultipleNegativesRankingLoss` trained as its `fit` trains it, on the
/// Trainer (AdamW, linear warmup and decay, gradient clipping at 1).
public enum ContrastiveFineTuning {
    /// The recipe. Defaults are sentence-transformers' `fit` where they apply:
    /// AdamW at 2e-5 with weight decay 0.01 (not on biases and LayerNorm
    /// weights), a linear schedule with warmup, gradient norm clipped at 1,
    /// 1 epoch, MNRL scale 20. Warmup: `fit` defaults to 10 000 steps, which
    /// on a few hundred pairs would mean never leaving warmup; this uses 10 %
    /// of the steps, as sentence-transformers' training examples do. Batches
    /// hold 16 pairs: `fit` leaves the batch size to the data loader its
    /// caller builds, and its MNRL examples use 16 and more (a larger batch
    /// is more in-batch negatives); feedback sets are small, and fewer pairs
    /// than that make one batch of all of them (duplicates aside).
    public struct Settings: Sendable, Equatable {
        public var epochs = 1
        public var learningRate = 2e-5
        public var weightDecay = 0.01
        public var warmupRatio = 0.1
        /// Pairs per batch (in-batch negatives: each pair's positive is a negative of the others).
        public var batchSize = 16
        /// MNRL's scale (inverse temperature).
        public var scale = MultipleNegativesRankingLoss.defaultScale
        /// Tokens per text (nil: the embedder's `max_seq_length`).
        public var maxLength: Int? = nil
        /// Seed of the batches, their order and dropout.
        public var seed: UInt64 = 42

        public init() {}

        /// The Trainer's configuration: one pre-built pair batch per step, no evaluation.
        public var training: TrainingConfiguration {
            var c = TrainingConfiguration()
            c.epochs = epochs
            c.batchSize = 1
            c.learningRate = learningRate
            c.weightDecay = weightDecay
            c.warmupRatio = warmupRatio
            c.schedule = .linear
            c.maxGradNorm = 1
            c.seed = seed
            c.evaluation = .no
            c.exportBestModel = false
            c.loggingSteps = 1
            return c
        }
    }

    /// The task for the embedder in `directory` (its encoder loaded for training).
    public static func task(embedderDirectory directory: URL, settings: Settings) throws -> ContrastiveEmbeddingTask {
        let folder = try SentenceTransformersFolder(contentsOf: directory)
        let embedder = try SentenceEmbedder(contentsOf: directory)
        return ContrastiveEmbeddingTask(
            embedder: embedder, tokenizer: try Tokenizer.load(directory: folder.transformerDirectory),
            tokenizerDirectory: folder.transformerDirectory, maxLength: settings.maxLength ?? embedder.maxSequenceLength,
            objective: MultipleNegativesRankingLoss(scale: settings.scale))
    }

    /// Fine-tunes the embedder in `embedderDirectory` on `pairs` and writes the
    /// result, a sentence-transformers folder, into `outputDirectory` (with the
    /// Trainer's `metrics.jsonl` and curves; its checkpoint is left for the caller
    /// to keep or remove). Batches are built once, without a text twice in a batch.
    ///
    /// - Throws: `TrainingError.emptyTrainingSet` without pairs, and the loading and training errors.
    @discardableResult
    public static func fineTune(
        embedderDirectory: URL, pairs: [ContrastivePair], settings: Settings, outputDirectory: URL,
        events: (TrainingEvent) -> Void = { _ in }
    ) throws -> TrainingSummary {
        let task = try task(embedderDirectory: embedderDirectory, settings: settings)
        let batches = try task.encode(pairs, batchSize: settings.batchSize, seed: settings.seed)
        let trainer = try Trainer(task: task, configuration: settings.training, train: batches, dev: [], outputDirectory: outputDirectory)
        return try trainer.run(events: events)
    }
}
