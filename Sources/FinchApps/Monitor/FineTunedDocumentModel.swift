import FinchTrain
import Foundation

/// A fine-tuned classifier or tagger folder used directly, without a batcher
/// (`finch monitor replay`, benchmarks): texts go through in batches of
/// `batchSize`, one call at a time (the lock keeps concurrent callers apart,
/// since a model's forward pass is not reentrant).
public final class FineTunedDocumentModel: DocumentClassifier, EntityTagger, @unchecked Sendable {
    public let name: String
    /// Texts per forward pass.
    public let batchSize: Int
    private let model: FineTunedModel
    private let lock = NSLock()

    /// Loads `directory` (a classifier or a tagger).
    public init(directory: URL, batchSize: Int = 64) throws {
        model = try FineTunedModel.load(directory)
        name = directory.lastPathComponent
        self.batchSize = max(batchSize, 1)
    }

    /// Whether the folder holds a classifier (else a tagger).
    public var isClassifier: Bool {
        if case .classifier = model { return true }
        return false
    }

    /// The classifier's or tagger's labels.
    public var labels: [String] {
        switch model {
        case .classifier(let task): task.labels.labels
        case .tagger(let task): task.labels.labels
        }
    }

    public func classify(_ texts: [String]) async throws -> [ClassPrediction] {
        try batched(texts) { try model.classify($0.map { ($0, nil) }) }
    }

    public func entities(in texts: [String]) async throws -> [[EntityPrediction]] {
        try batched(texts) { try model.entities(in: $0) }
    }

    /// Runs `texts` in batches of similar length (less padding), results in input order.
    func batched<T>(_ texts: [String], _ run: ([String]) throws -> [T]) throws -> [T] {
        lock.lock()
        defer { lock.unlock() }
        let order = texts.indices.sorted { texts[$0].utf8.count < texts[$1].utf8.count }
        var out = [T?](repeating: nil, count: texts.count)
        var i = 0
        while i < order.count {
            let chunk = Array(order[i..<min(i + batchSize, order.count)])
            let results = try run(chunk.map { texts[$0] })
            guard results.count == chunk.count else {
                throw MonitorError.modelMismatch(model: name, expected: chunk.count, got: results.count)
            }
            for (k, r) in zip(chunk, results) { out[k] = r }
            i += chunk.count
        }
        return out.map { $0! }
    }
}
