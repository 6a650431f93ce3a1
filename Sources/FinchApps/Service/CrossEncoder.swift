import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// A cross-encoder: a BERT sequence classifier with one label that reads a (query, text) pair as
/// one input (`[CLS] query [SEP] text [SEP]`, segment ids 0 then 1) and gives one logit, its
/// relevance. The score is the logit's sigmoid, as sentence-transformers' `CrossEncoder.predict`
/// and text-embeddings-inference's `/rerank` give it for a one-label model.
public final class CrossEncoder: @unchecked Sendable {
    public let model: BertForSequenceClassification
    public let tokenizer: Tokenizer
    /// Tokens per pair after truncation (special tokens included): the position limit, at most 512.
    public let maxLength: Int
    private let padTokenID: Int
    /// Scratch memory of the forward pass; one call at a time (the batcher's thread), hence `@unchecked Sendable`.
    private let workspace = BertWorkspace()

    /// Loads a folder in Hugging Face layout whose head has exactly one label.
    /// - Throws: `ModelFolderError.unreadable` naming `id2label` when the head has more labels;
    ///   checkpoint errors from the loaders.
    public init(directory: URL) throws {
        var rng = FinchRNG(seed: 0)  // unused: a stored head is kept, never drawn
        model = try BertForSequenceClassification(contentsOf: directory, rng: &rng)
        guard model.labels.count == 1 else {
            throw ModelFolderError.unreadable(
                path: directory.appendingPathComponent("config.json").path,
                field: "id2label (a cross-encoder has one label, this model has \(model.labels.count))")
        }
        model.eval()
        tokenizer = try Tokenizer.load(directory: directory)
        maxLength = min(512, model.bert.config.maxPositionEmbeddings)
        padTokenID = model.bert.config.padTokenID ?? 0
    }

    /// The logit of each encoded pair, in order, from one forward pass (padded to the longest).
    public func logits(_ encodings: [Encoding]) throws -> [Float] {
        guard !encodings.isEmpty else { return [] }
        let input = BertInput(padding: encodings.map(\.ids), tokenTypeIDs: encodings.map(\.typeIDs), padTokenID: padTokenID)
        return try model.inferenceLogits(input, workspace: workspace).scalars  // [B, 1]
    }

    /// The relevance score of a logit: its sigmoid.
    public static func score(logit: Float) -> Double { 1 / (1 + exp(-Double(logit))) }
}
