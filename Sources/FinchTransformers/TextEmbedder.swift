import FinchTensor
import FinchText
import Foundation

/// Text in, sentence vectors out: a model directory's tokenizer plus its
/// `SentenceEmbedder` (pooling, normalization and maximum length from the
/// sentence-transformers files). What `finch embed` and `finch search` run.
public final class TextEmbedder {
    public let tokenizer: Tokenizer
    public let embedder: SentenceEmbedder
    /// Tokens per text after truncation (special tokens included).
    public let maxLength: Int

    /// Loads `directory`; `maxLength` nil means the model's own
    /// (`sentence_bert_config.json` max_seq_length, else its position limit).
    public init(directory: URL, maxLength: Int? = nil) throws {
        embedder = try SentenceEmbedder(contentsOf: directory)
        tokenizer = try Tokenizer.load(directory: directory)
        let limit = embedder.maxSequenceLength
        guard maxLength.map({ $0 >= 2 }) ?? true else {
            throw CheckpointError.invalidValue(
                path: directory.path, field: "max-length", value: String(maxLength!), reason: "must be at least 2")
        }
        self.maxLength = Swift.min(maxLength ?? limit, limit)
    }

    /// Vector width.
    public var dimension: Int { embedder.dimension }

    /// Embeds texts (or pairs) [N, dimension], in input order; batches sorted by length.
    public func embed(_ texts: [(String, String?)], batchSize: Int = 32) throws -> Tensor {
        let encodings = try tokenizer.encode(batch: texts.map { (text: $0.0, pair: $0.1) }, truncation: Truncation(maxLength: maxLength))
        return try embedder.embed(tokenIDs: encodings.map(\.ids), tokenTypeIDs: encodings.map(\.typeIDs), batchSize: batchSize)
    }

    /// Embeds single texts.
    public func embed(_ texts: [String], batchSize: Int = 32) throws -> Tensor {
        try embed(texts.map { ($0, nil) }, batchSize: batchSize)
    }
}
