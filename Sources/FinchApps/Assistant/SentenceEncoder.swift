import FinchTensor
import FinchTransformers

/// Turns texts into sentence vectors, [count, dimension]. The assistant
/// depends on this, not on a model, so its tests can give exact vectors.
public protocol SentenceEncoder {
    /// Vector width.
    var dimension: Int { get }
    /// One row per text, in order (any length; the index normalizes them).
    func encode(_ texts: [String]) throws -> Tensor
}

/// A `TextEmbedder` with the prefix its model expects before every text
/// (multilingual-e5 wants `query: ` for symmetric tasks such as FAQ matching;
/// all-MiniLM-L6-v2 wants none).
public struct PrefixedTextEncoder: SentenceEncoder {
    /// The model.
    public let embedder: TextEmbedder
    /// Written before every text.
    public let prefix: String
    /// Texts per forward pass.
    public let batchSize: Int

    /// Encodes with `embedder`, putting `prefix` before each text.
    public init(embedder: TextEmbedder, prefix: String = "", batchSize: Int = 32) {
        self.embedder = embedder
        self.prefix = prefix
        self.batchSize = batchSize
    }

    public var dimension: Int { embedder.dimension }

    public func encode(_ texts: [String]) throws -> Tensor {
        try embedder.embed(prefix.isEmpty ? texts : texts.map { prefix + $0 }, batchSize: batchSize)
    }
}
