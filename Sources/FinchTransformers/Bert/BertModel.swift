import FinchNN
import FinchTensor

/// The BERT encoder (`BertModel`): embeddings, `num_hidden_layers` blocks
/// and, when present, the pooler. Its parameter keys are exactly those of a
/// Hugging Face `BertModel` checkpoint (`embeddings.word_embeddings.weight`,
/// `encoder.layer.3.attention.self.query.weight`, `pooler.dense.bias`); task
/// heads mount it as their `bert` child, which gives the `bert.` prefix their
/// checkpoints use.
///
/// Two forward paths compute the same function:
/// - `callAsFunction(_:)` is built from differentiable tensor ops; it records
///   for autodiff when gradients are on and applies dropout in training mode.
/// - `inference(_:workspace:)` never records, ignores dropout, and runs on
///   reused scratch buffers with fused kernels (see `BertModel+Inference`).
public final class BertModel: Module {
    /// The hyper-parameters the model was built from.
    public let config: BertConfig
    /// `embeddings.*`.
    public let embeddings: BertEmbeddings
    /// `encoder.layer.N.*`.
    public let encoder: BertEncoder
    /// `pooler.*`; nil for checkpoints saved without a pooler.
    public let pooler: BertPooler?
    /// Training mode (dropout on in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children in checkpoint order.
    public var children: [(name: String, module: any Module)] {
        var c: [(name: String, module: any Module)] = [("embeddings", embeddings), ("encoder", encoder)]
        if let pooler { c.append(("pooler", pooler)) }
        return c
    }

    /// A freshly initialized model (Hugging Face's initialization: weights
    /// N(0, initializer_range²), zero biases, unit layer norms), in eval mode.
    /// Throws when the configuration is one Finch does not implement.
    public convenience init(config: BertConfig, addPoolingLayer: Bool = true, rng: inout FinchRNG) throws(BertConfigError) {
        try self.init(config: config, addPoolingLayer: addPoolingLayer, initialization: .random, rng: &rng)
    }

    /// Builds the modules; `.zeros` skips the random draws when weights are
    /// about to be loaded.
    init(config: BertConfig, addPoolingLayer: Bool, initialization: BertInitializer.Mode, rng: inout FinchRNG) throws(BertConfigError) {
        try config.validate()
        self.config = config
        var initializer = BertInitializer(config: config, mode: initialization, rng: rng.split())
        embeddings = BertEmbeddings(config: config, initializer: &initializer)
        encoder = BertEncoder(config: config, initializer: &initializer)
        pooler = addPoolingLayer ? BertPooler(config: config, initializer: &initializer) : nil
        rng = initializer.rng
        eval()
    }

    /// The value a padding position adds to attention scores, as Hugging
    /// Face's additive mask (the most negative finite Float32): its softmax
    /// weight is exactly zero.
    public static let maskedScore: Float = -Float.greatestFiniteMagnitude

    /// Checks ids, types, mask values and length against the configuration.
    public func validate(_ input: BertInput) throws(BertInputError) {
        let s = input.sequenceLength
        if s > config.maxPositionEmbeddings {
            throw .sequenceTooLong(length: s, maximum: config.maxPositionEmbeddings)
        }
        for (i, id) in input.inputIDs.enumerated() where id < 0 || id >= config.vocabSize {
            throw .tokenIDOutOfRange(row: i / s, position: i % s, id: id, vocabSize: config.vocabSize)
        }
        if let types = input.tokenTypeIDs {
            for (i, t) in types.enumerated() where t < 0 || t >= config.typeVocabSize {
                throw .tokenTypeOutOfRange(row: i / s, position: i % s, type: t, typeVocabSize: config.typeVocabSize)
            }
        }
        if let mask = input.attentionMask {
            for (i, m) in mask.enumerated() where m != 0 && m != 1 {
                throw .invalidMaskValue(row: i / s, position: i % s, value: m)
            }
        }
    }

    /// The additive mask [B, 1, 1, S]: 0 where the mask is 1, `maskedScore`
    /// where it is 0; nil when every position is attended.
    public static func maskBias(for input: BertInput) -> Tensor? {
        guard let mask = input.attentionMask, mask.contains(0) else { return nil }
        return Tensor(shape: [input.batchSize, 1, 1, input.sequenceLength], values: mask.map { $0 == 0 ? maskedScore : 0 })
    }

    /// Forward pass through differentiable ops: records for autodiff when
    /// gradients are enabled and any parameter trains; dropout is active in
    /// training mode. Returns last hidden states [B, S, H] and, with a pooler,
    /// the pooled output [B, H].
    public func callAsFunction(_ input: BertInput) throws(BertInputError) -> BertModelOutput {
        try validate(input)
        let maskBias = Self.maskBias(for: input)
        let hidden = encoder(embeddings(input), maskBias: maskBias)
        return BertModelOutput(lastHiddenState: hidden, poolerOutput: pooler?(hidden))
    }
}

/// What the encoder returns.
public struct BertModelOutput: Sendable {
    /// Final hidden states, [B, S, H] (padding positions included).
    public let lastHiddenState: Tensor
    /// tanh(dense(first token)), [B, H]; nil without a pooler.
    public let poolerOutput: Tensor?

    /// Wraps the two outputs.
    public init(lastHiddenState: Tensor, poolerOutput: Tensor?) {
        self.lastHiddenState = lastHiddenState
        self.poolerOutput = poolerOutput
    }
}

/// Input the encoder cannot run, located by row and position.
public enum BertInputError: Error, Equatable, CustomStringConvertible {
    /// A padded length beyond `max_position_embeddings`.
    case sequenceTooLong(length: Int, maximum: Int)
    /// A token id outside the vocabulary.
    case tokenIDOutOfRange(row: Int, position: Int, id: Int, vocabSize: Int)
    /// A segment id outside `type_vocab_size`.
    case tokenTypeOutOfRange(row: Int, position: Int, type: Int, typeVocabSize: Int)
    /// An attention-mask entry other than 0 or 1.
    case invalidMaskValue(row: Int, position: Int, value: Int)

    /// A readable message for the user.
    public var description: String {
        switch self {
        case let .sequenceTooLong(length, maximum):
            return "sequence of \(length) tokens is longer than the model's \(maximum) positions (truncate it)"
        case let .tokenIDOutOfRange(row, position, id, vocabSize):
            return "row \(row), position \(position): token id \(id) is outside the vocabulary of \(vocabSize)"
        case let .tokenTypeOutOfRange(row, position, type, typeVocabSize):
            return "row \(row), position \(position): token type \(type) is outside 0..<\(typeVocabSize)"
        case let .invalidMaskValue(row, position, value):
            return "row \(row), position \(position): attention mask value \(value) is not 0 or 1"
        }
    }
}
