import FinchRecommend
import FinchTensor
import FinchText
import FinchTrain
import FinchTransformers
import FinchVision
import Foundation

/// One loaded model version with its batcher, as the registry serves it.
public final class ServedModel: Sendable {
    /// How requests reach the model.
    public enum Engine: Sendable {
        /// Token sequences → sentence vectors (as the model's folder says: pooled, maybe normalized).
        case embedder(Batcher<Encoding, [Float]>)
        /// Texts (or pairs) → class probabilities.
        case classifier(Batcher<TextInput, ClassPrediction>)
        /// Texts → whole-word entities.
        case tagger(Batcher<String, [EntityPrediction]>)
        /// Tokenized (query, text) pairs → one relevance logit each.
        case crossEncoder(Batcher<Encoding, Float>)
        /// A recommender (served by the application endpoints).
        case recommender(RecommenderModel)
        /// Decoded images → class probabilities.
        case imageClassifier(Batcher<Image, ClassPrediction>)
    }

    /// A text and an optional second segment.
    public struct TextInput: Sendable {
        public var text: String
        public var pair: String?
        public init(text: String, pair: String? = nil) {
            self.text = text
            self.pair = pair
        }
    }

    public let record: ModelVersionRecord
    public let engine: Engine
    /// The tokenizer (nil for recommenders).
    public let tokenizer: Tokenizer?
    /// Tokens per input after truncation, special tokens included (0 for recommenders).
    public let maxLength: Int
    /// Vector width of an embedder.
    public let dimension: Int?
    /// An image classifier's color mode, input size and normalisation.
    public let imagePreprocessing: ImagePreprocessing?
    /// Label names of a classifier or tagger.
    public let labels: [String]?
    /// Seconds the load took.
    public let loadSeconds: Double

    public var name: String { record.name }
    public var version: Int { record.version }
    public var kind: ModelKind { record.kind }

    /// Loads the folder of `record` and starts its batcher.
    public init(record: ModelVersionRecord, options: BatchingOptions, observer: (any BatcherObserver)? = nil) throws {
        let start = Date()
        self.record = record
        let url = URL(fileURLWithPath: record.path)
        let label = record.name
        var preprocessing: ImagePreprocessing? = nil
        switch record.kind {
        case .embedder:
            let model = try TextEmbedder(directory: url)
            let embedder = model.embedder
            tokenizer = model.tokenizer
            maxLength = model.maxLength
            dimension = model.dimension
            labels = nil
            engine = .embedder(
                Batcher(name: label, options: options, observer: observer) { encodings in
                    let vectors = try embedder.embed(
                        tokenIDs: encodings.map(\.ids), tokenTypeIDs: encodings.map(\.typeIDs),
                        batchSize: max(encodings.count, 1))
                    let d = vectors.shape[1], p = vectors.storage.pointer
                    return (0..<encodings.count).map { Array(UnsafeBufferPointer(start: p + $0 * d, count: d)) }
                })
        case .classifier, .tagger:
            let loaded = try FineTunedModel.load(url)
            switch loaded {
            case .classifier(let task):
                guard record.kind == .classifier else { throw ModelFolderError.unreadable(path: record.path, field: "kind (a classifier)") }
                tokenizer = task.tokenizer
                maxLength = task.maxLength
                labels = task.labels.labels
                engine = .classifier(
                    Batcher(name: label, options: options, observer: observer) { inputs in
                        try loaded.classify(inputs.map { ($0.text, $0.pair) })
                    })
            case .tagger(let task):
                guard record.kind == .tagger else { throw ModelFolderError.unreadable(path: record.path, field: "kind (a tagger)") }
                tokenizer = task.tokenizer
                maxLength = task.maxLength
                labels = task.labels.labels
                engine = .tagger(
                    Batcher(name: label, options: options, observer: observer) { texts in
                        try loaded.entities(in: texts)
                    })
            }
            dimension = nil
        case .crossEncoder:
            let model = try CrossEncoder(directory: url)
            tokenizer = model.tokenizer
            maxLength = model.maxLength
            dimension = nil
            labels = nil
            engine = .crossEncoder(Batcher(name: label, options: options, observer: observer) { try model.logits($0) })
        case .recommender:
            engine = .recommender(try RecommenderModel.load(from: url))
            tokenizer = nil
            maxLength = 0
            dimension = nil
            labels = nil
        case .imageClassifier:
            let classifier = try ImageClassifier.load(url)
            preprocessing = classifier.config.preprocessing
            tokenizer = nil
            maxLength = 0
            dimension = nil
            labels = classifier.config.classes
            // The classifier's network is only touched from the batcher's one worker.
            let unchecked = UncheckedImageClassifier(classifier)
            engine = .imageClassifier(
                Batcher(name: label, options: options, observer: observer) { images in unchecked.classifier.classify(images) })
        }
        imagePreprocessing = preprocessing
        loadSeconds = Date().timeIntervalSince(start)
    }

    /// The same loaded model under another record (the version the store gave it).
    init(_ other: ServedModel, record: ModelVersionRecord) {
        self.record = record
        engine = other.engine
        tokenizer = other.tokenizer
        maxLength = other.maxLength
        dimension = other.dimension
        labels = other.labels
        imagePreprocessing = other.imagePreprocessing
        loadSeconds = other.loadSeconds
    }

    /// Stops the batcher after the requests already queued.
    public func retire() {
        switch engine {
        case .embedder(let b): b.shutdown()
        case .classifier(let b): b.shutdown()
        case .tagger(let b): b.shutdown()
        case .crossEncoder(let b): b.shutdown()
        case .imageClassifier(let b): b.shutdown()
        case .recommender: break
        }
    }

    /// Forward passes run by this version's batcher.
    public var forwardPasses: Int {
        switch engine {
        case .embedder(let b): b.forwardPasses
        case .classifier(let b): b.forwardPasses
        case .tagger(let b): b.forwardPasses
        case .crossEncoder(let b): b.forwardPasses
        case .imageClassifier(let b): b.forwardPasses
        case .recommender: 0
        }
    }

    /// Tokenizes `text` for this model, truncated to its maximum length.
    public func tokenize(_ text: String, pair: String? = nil) throws(RegistryError) -> TokenizedText {
        guard let tokenizer else { throw .wrongKind(name: name, kind: kind, expected: "a model with a tokenizer") }
        return TokenizedText(text, pair: pair, tokenizer: tokenizer, maxLength: maxLength)
    }
}

/// An `ImageClassifier` handed to one batcher, whose single worker is the only caller.
private final class UncheckedImageClassifier: @unchecked Sendable {
    let classifier: ImageClassifier
    init(_ classifier: ImageClassifier) { self.classifier = classifier }
}
