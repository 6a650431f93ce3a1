import FinchTrain

/// A text classifier as a monitor uses it (sentiment or topic): one
/// prediction per text, in order. Implementations batch as they see fit.
public protocol DocumentClassifier: Sendable {
    /// The model's name, for error messages.
    var name: String { get }
    func classify(_ texts: [String]) async throws -> [ClassPrediction]
}

/// A named-entity tagger as a monitor uses it: the entities of each text, in order.
public protocol EntityTagger: Sendable {
    /// The model's name, for error messages.
    var name: String { get }
    func entities(in texts: [String]) async throws -> [[EntityPrediction]]
}

extension ServedModel: DocumentClassifier, EntityTagger {
    /// Classifies through the model's batcher.
    public func classify(_ texts: [String]) async throws -> [ClassPrediction] {
        try await InferenceService.classify(texts.map { TextInput(text: $0) }, model: self).value
    }

    /// Tags through the model's batcher.
    public func entities(in texts: [String]) async throws -> [[EntityPrediction]] {
        try await InferenceService.entities(texts, model: self).value
    }
}
