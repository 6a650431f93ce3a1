import FinchNN
import FinchTensor
import FinchVision
import Foundation

/// One decoded training or development image: scaled to the input size, not yet augmented
/// or normalised.
public struct ImageExample: @unchecked Sendable {
    /// `[C, H, W]` in [0, 1].
    public let image: Tensor
    /// Class index.
    public let label: Int
    /// Position in its data set; with the seed and the epoch it fixes the augmentation drawn.
    public let index: Int

    /// An example.
    public init(image: Tensor, label: Int, index: Int) {
        self.image = image
        self.label = label
        self.index = index
    }
}

/// Training an `ImageClassifier` on the Trainer: cross-entropy on augmented, normalised
/// batches; evaluation prints scikit-learn's classification report, as text classifiers do.
///
/// Augmentation draws come from a generator seeded by (seed, epoch, example index), so they do
/// not depend on batch order or on where a resumed run restarted.
public final class ImageClassificationTask: TrainingTask {
    /// The classifier that trains.
    public let classifier: ImageClassifier
    /// Training-time augmentation.
    public let augmentation: ImageAugmentation
    /// Seed of the augmentation draws.
    public let seed: UInt64
    /// The epoch being trained (set by the Trainer).
    public private(set) var epoch = 0
    /// Images per forward pass when evaluating.
    public var evaluationBatchSize = 256

    /// The network, as the Trainer sees it.
    public var model: any Module { classifier.network.module }
    /// No word embeddings: FGM does not apply.
    public var wordEmbeddingKey: String? { nil }
    /// Accuracy, F1 averages and loss.
    public var reportedMetrics: [TrainingMetric]? { TrainingMetric.classification }

    /// A task over `classifier`.
    public init(classifier: ImageClassifier, augmentation: ImageAugmentation, seed: UInt64) {
        self.classifier = classifier
        self.augmentation = augmentation
        self.seed = seed
    }

    /// Remembers the epoch for the augmentation draws.
    public func willStartEpoch(_ epoch: Int) { self.epoch = epoch }

    /// Every image has the same size: batches need no bucketing.
    public func length(of example: ImageExample) -> Int { 1 }

    /// The batch `[N, C, H, W]`, augmented (when training) and normalised.
    func batch(_ examples: [ImageExample], augment: Bool) -> Tensor {
        let p = classifier.config.preprocessing
        let normalize = p.normalization
        let random = augmentation.transform(height: p.height, width: p.width)
        return ImageBatch.stack(
            examples.map { e in
                guard augment && !augmentation.isNone else { return normalize(e.image) }
                var rng = FinchRNG(seed: seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(e.index) &* 0xD1B5_4A32_D192_ED03))
                return normalize(random.apply(e.image, rng: &rng))
            })
    }

    /// Mean cross-entropy of the augmented batch.
    public func loss(on batch: [ImageExample]) throws -> Tensor {
        classifier.network(self.batch(batch, augment: true)).crossEntropy(targets: batch.map(\.label))
    }

    /// Accuracy, F1 averages, mean loss and scikit-learn's report.
    public func evaluate(_ examples: [ImageExample]) throws -> Evaluation {
        let c = classifier.config.classes.count
        var probabilities = [Float]()
        probabilities.reserveCapacity(examples.count * c)
        var start = 0
        while start < examples.count {
            let end = Swift.min(start + evaluationBatchSize, examples.count)
            probabilities += classifier.network(batch(Array(examples[start..<end]), augment: false)).softmax().scalars
            start = end
        }
        var loss = 0.0
        var predicted: [Int] = []
        for (i, e) in examples.enumerated() {
            let row = probabilities[(i * c)..<((i + 1) * c)]
            predicted.append(row.indices.max { row[$0] < row[$1] }! - i * c)
            loss -= Foundation.log(Double(Swift.max(row[i * c + e.label], 1e-12)))
        }
        let names = classifier.config.classes
        let report = ClassificationReport(truth: examples.map { names[$0.label] }, predicted: predicted.map { names[$0] })
        let e = report.evaluation
        return Evaluation(
            metrics: [
                "accuracy": e.accuracy, "macro_f1": e.macroF1, "weighted_f1": e.weightedF1,
                "loss": loss / Double(Swift.max(examples.count, 1)),
            ],
            report: report.text(), json: try e.jsonString())
    }

    /// Writes `config.json` and `model.safetensors`.
    public func saveModel(to directory: URL) throws { try classifier.save(to: directory) }
}
