import FinchNN
import FinchTensor
import Foundation

/// Sentence vectors from token ids: a BERT encoder, pooling, optional L2
/// normalization and a maximum input length — what a sentence-transformers
/// folder describes. Batches are padded to their own longest sequence
/// (dynamic padding), optionally after sorting by length so that similar
/// lengths share a batch; results come back in input order.
///
/// Holds one `BertWorkspace`, so one embedder runs one `embed` at a time;
/// use one embedder per thread.
public final class SentenceEmbedder {
    /// The encoder.
    public let model: BertModel
    /// Token vectors → sentence vector.
    public let pooling: Pooling
    /// Whether sentence vectors are scaled to unit length.
    public let normalizes: Bool
    /// The longest token sequence accepted (tokenizers should truncate to it).
    public let maxSequenceLength: Int
    /// Token id used for padding positions (never attended).
    public let padTokenID: Int
    private let workspace = BertWorkspace()

    /// Combines the parts; `maxSequenceLength` nil means the model's
    /// `max_position_embeddings`, and is capped by it.
    public init(model: BertModel, pooling: PoolingConfig? = nil, normalizes: Bool = false, maxSequenceLength: Int? = nil) {
        self.model = model
        self.pooling = Pooling(config: pooling ?? PoolingConfig(embeddingDimension: model.config.hiddenSize))
        self.normalizes = normalizes
        self.maxSequenceLength = min(
            maxSequenceLength ?? model.config.maxPositionEmbeddings,
            model.config.maxPositionEmbeddings)
        self.padTokenID = model.config.padTokenID ?? 0
    }

    /// Loads a sentence-transformers folder (or a plain Hugging Face model
    /// directory, which gets mean pooling), and its int8 inference weights
    /// (`model.int8.safetensors`) when the folder has them. `options` as for
    /// `BertModel(contentsOf:options:)`.
    public convenience init(contentsOf directory: URL, options: CheckpointLoadOptions = .bert()) throws {
        let folder = try SentenceTransformersFolder(contentsOf: directory)
        let model = try BertModel(contentsOf: folder.transformerDirectory, options: options)
        // int8 inference weights written by `finch quantize`, when present.
        let int8 = folder.transformerDirectory.appendingPathComponent(Self.int8WeightsFile)
        if FileManager.default.fileExists(atPath: int8.path) { try model.loadInferenceQuantization(from: int8) }
        if let pooling = folder.pooling, pooling.embeddingDimension != model.config.hiddenSize {
            throw CheckpointError.invalidValue(
                path: directory.appendingPathComponent("1_Pooling/config.json").path, field: "word_embedding_dimension",
                value: String(pooling.embeddingDimension), reason: "the model's hidden_size is \(model.config.hiddenSize)")
        }
        self.init(
            model: model, pooling: folder.pooling, normalizes: folder.normalizes,
            maxSequenceLength: folder.maxSequenceLength)
    }

    /// Width of the sentence vectors.
    public var dimension: Int { pooling.config.outputDimension }

    /// Saves the model and the sentence-transformers files into `directory`
    /// (atomically per file; tokenizer files already there are kept).
    public func save(to directory: URL) throws {
        try model.save(to: directory)
        try SentenceTransformersFolder(
            root: directory, pooling: pooling.config, normalizes: normalizes,
            maxSequenceLength: maxSequenceLength
        ).write()
    }

    /// Embeds token sequences (each with its special tokens, at most
    /// `maxSequenceLength` long): [N, dimension], row i for `tokenIDs[i]`.
    /// `attentionMasks` and `tokenTypeIDs`, when given, hold one array per
    /// sequence of the same length (nil: all attended, all segment 0).
    /// Inference path: no autodiff, scratch memory reused across batches.
    public func embed(
        tokenIDs: [[Int]], attentionMasks: [[Int]]? = nil, tokenTypeIDs: [[Int]]? = nil,
        batchSize: Int = 32, sortByLength: Bool = true
    ) throws(SentenceEmbeddingError) -> Tensor {
        guard batchSize > 0 else { throw .invalidBatchSize(batchSize) }
        let n = tokenIDs.count
        if n == 0 { return Tensor.zeros([0, dimension]) }
        try check(tokenIDs: tokenIDs, attentionMasks: attentionMasks, tokenTypeIDs: tokenTypeIDs)
        var order = Array(0..<n)
        if sortByLength { order.sort { (tokenIDs[$0].count, $0) > (tokenIDs[$1].count, $1) } }
        let dim = dimension
        let output = Tensor.zeros([n, dim])
        let out = output.storage.pointer
        var start = 0
        while start < n {
            let chunk = Array(order[start..<min(start + batchSize, n)])
            let input = BertInput(
                padding: chunk.map { tokenIDs[$0] },
                tokenTypeIDs: tokenTypeIDs.map { t in chunk.map { t[$0] } },
                attentionMasks: attentionMasks.map { m in chunk.map { m[$0] } },
                padTokenID: padTokenID)
            do { try model.validate(input) } catch {
                // Unreachable after `check`, which validates every sequence alone.
                throw .invalidBatch(error)
            }
            let vectors: Tensor = withoutGradient {
                // The last hidden states stay in the workspace; pooling reads them in place.
                let x = model.encode(input, workspace: workspace)
                let count = input.batchSize * input.sequenceLength * model.config.hiddenSize
                let hidden = Tensor(
                    shape: [input.batchSize, input.sequenceLength, model.config.hiddenSize],
                    storage: TensorStorage(borrowing: x, count: count, owner: workspace))
                let pooled = pooling(hidden, attentionMask: input.resolvedAttentionMask)
                return normalizes ? pooled.l2Normalized() : pooled
            }
            let v = vectors.storage.pointer
            for (row, index) in chunk.enumerated() { (out + index * dim).update(from: v + row * dim, count: dim) }
            start += batchSize
        }
        return output
    }

    private func check(tokenIDs: [[Int]], attentionMasks: [[Int]]?, tokenTypeIDs: [[Int]]?) throws(SentenceEmbeddingError) {
        if let m = attentionMasks, m.count != tokenIDs.count {
            throw .countMismatch(field: "attentionMasks", count: m.count, expected: tokenIDs.count)
        }
        if let t = tokenTypeIDs, t.count != tokenIDs.count {
            throw .countMismatch(field: "tokenTypeIDs", count: t.count, expected: tokenIDs.count)
        }
        for (i, ids) in tokenIDs.enumerated() {
            if ids.count > maxSequenceLength {
                throw .sequenceTooLong(index: i, length: ids.count, maximum: maxSequenceLength)
            }
            if let m = attentionMasks?[i], m.count != ids.count {
                throw .lengthMismatch(index: i, field: "attention mask", count: m.count, tokens: ids.count)
            }
            if let t = tokenTypeIDs?[i], t.count != ids.count {
                throw .lengthMismatch(index: i, field: "token type ids", count: t.count, tokens: ids.count)
            }
            let config = model.config
            for (position, id) in ids.enumerated() where id < 0 || id >= config.vocabSize {
                throw .tokenIDOutOfRange(index: i, position: position, id: id, vocabSize: config.vocabSize)
            }
            for (position, type) in (tokenTypeIDs?[i] ?? []).enumerated() where type < 0 || type >= config.typeVocabSize {
                throw .tokenTypeOutOfRange(index: i, position: position, type: type, typeVocabSize: config.typeVocabSize)
            }
            for (position, value) in (attentionMasks?[i] ?? []).enumerated() where value != 0 && value != 1 {
                throw .invalidMaskValue(index: i, position: position, value: value)
            }
        }
    }

}

/// Input `SentenceEmbedder.embed` rejects, located by the sequence's index.
public enum SentenceEmbeddingError: Error, Equatable, CustomStringConvertible {
    /// Sequence `index` is longer than the embedder's maximum: truncate when tokenizing.
    case sequenceTooLong(index: Int, length: Int, maximum: Int)
    /// A per-sequence array of sequence `index` has another length than its tokens.
    case lengthMismatch(index: Int, field: String, count: Int, tokens: Int)
    /// A list of per-sequence arrays has another count than the sequences.
    case countMismatch(field: String, count: Int, expected: Int)
    /// Token `position` of sequence `index` is outside the vocabulary.
    case tokenIDOutOfRange(index: Int, position: Int, id: Int, vocabSize: Int)
    /// Segment id at `position` of sequence `index` is outside `type_vocab_size`.
    case tokenTypeOutOfRange(index: Int, position: Int, type: Int, typeVocabSize: Int)
    /// Attention-mask entry at `position` of sequence `index` is not 0 or 1.
    case invalidMaskValue(index: Int, position: Int, value: Int)
    /// The encoder rejected a padded batch.
    case invalidBatch(BertInputError)
    /// A batch size below 1.
    case invalidBatchSize(Int)

    /// A readable message for the user.
    public var description: String {
        switch self {
        case let .sequenceTooLong(index, length, maximum):
            return "input \(index): \(length) tokens, more than the maximum \(maximum) (truncate when tokenizing)"
        case let .lengthMismatch(index, field, count, tokens):
            return "input \(index): \(count) \(field) entries for \(tokens) tokens"
        case let .countMismatch(field, count, expected):
            return "\(field) holds \(count) sequences for \(expected) inputs"
        case let .tokenIDOutOfRange(index, position, id, vocabSize):
            return "input \(index), token \(position): id \(id) is outside the vocabulary of \(vocabSize)"
        case let .tokenTypeOutOfRange(index, position, type, typeVocabSize):
            return "input \(index), token \(position): token type \(type) is outside 0..<\(typeVocabSize)"
        case let .invalidMaskValue(index, position, value):
            return "input \(index), token \(position): attention mask value \(value) is not 0 or 1"
        case let .invalidBatch(error):
            return "batch rejected by the encoder: \(error)"
        case let .invalidBatchSize(size):
            return "batch size \(size): must be at least 1"
        }
    }
}
