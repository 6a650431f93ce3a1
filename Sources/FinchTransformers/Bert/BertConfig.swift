import FinchSupport

/// The activation between `intermediate.dense` and `output.dense`
/// (`hidden_act` in `config.json`, Hugging Face's `ACT2FN` names).
public enum BertActivation: String, Codable, Sendable, CaseIterable {
    /// Exact GELU, x·Φ(x) with the error function.
    case gelu
    /// GELU, tanh approximation.
    case geluNew = "gelu_new"
    /// Same function as `gelu_new` under PyTorch's name.
    case geluPytorchTanh = "gelu_pytorch_tanh"
    /// Same function as `gelu_new` (Hugging Face's "fast" spelling).
    case geluFast = "gelu_fast"
    /// max(x, 0).
    case relu
    /// x·σ(x).
    case silu
    /// x·σ(x) under its other name.
    case swish
}

/// BERT hyper-parameters as `config.json` holds them (`BertConfig` in
/// Hugging Face `transformers`). Missing keys take the reference defaults
/// (bert-base-uncased); keys this type does not model are kept in
/// `otherKeys` and written back by `encode(to:)`, so a checkpoint saved by
/// Finch keeps `_name_or_path`, `transformers_version` and friends.
public struct BertConfig: Codable, Equatable, Sendable {
    /// Rows of `embeddings.word_embeddings.weight`.
    public var vocabSize: Int
    /// Model width H.
    public var hiddenSize: Int
    /// Number of `encoder.layer.N` blocks.
    public var numHiddenLayers: Int
    /// Attention heads; H must be a multiple of it.
    public var numAttentionHeads: Int
    /// Width of the feed-forward block.
    public var intermediateSize: Int
    /// Feed-forward activation.
    public var hiddenAct: BertActivation
    /// Dropout after embeddings and each sub-layer (training only).
    public var hiddenDropoutProb: Double
    /// Dropout on attention probabilities (training only).
    public var attentionProbsDropoutProb: Double
    /// Rows of `embeddings.position_embeddings.weight`: the longest input.
    public var maxPositionEmbeddings: Int
    /// Rows of `embeddings.token_type_embeddings.weight`.
    public var typeVocabSize: Int
    /// Standard deviation of the normal initialization of new weights.
    public var initializerRange: Double
    /// ε of every layer norm.
    public var layerNormEps: Double
    /// Id of the padding token (its embedding row starts at zero).
    public var padTokenID: Int?
    /// Only `absolute` is supported.
    public var positionEmbeddingType: String
    /// Dropout before a classification head; nil means `hiddenDropoutProb`.
    public var classifierDropout: Double?
    /// `model_type`, "bert" for this family.
    public var modelType: String
    /// Hugging Face class names the checkpoint was saved from, e.g. `BertModel`.
    public var architectures: [String]?
    /// Class index (as a decimal string) → label name, for classification heads.
    public var id2label: [String: String]?
    /// Label name → class index.
    public var label2id: [String: Int]?
    /// Every other key of the file, kept verbatim.
    public var otherKeys: [String: JSONValue]

    /// A configuration with the reference defaults for every unspecified field.
    public init(
        vocabSize: Int = 30522, hiddenSize: Int = 768, numHiddenLayers: Int = 12, numAttentionHeads: Int = 12,
        intermediateSize: Int = 3072, hiddenAct: BertActivation = .gelu, hiddenDropoutProb: Double = 0.1,
        attentionProbsDropoutProb: Double = 0.1, maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2,
        initializerRange: Double = 0.02, layerNormEps: Double = 1e-12, padTokenID: Int? = 0,
        positionEmbeddingType: String = "absolute", classifierDropout: Double? = nil, modelType: String = "bert",
        architectures: [String]? = nil, id2label: [String: String]? = nil, label2id: [String: Int]? = nil,
        otherKeys: [String: JSONValue] = [:]
    ) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.hiddenAct = hiddenAct
        self.hiddenDropoutProb = hiddenDropoutProb
        self.attentionProbsDropoutProb = attentionProbsDropoutProb
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.initializerRange = initializerRange
        self.layerNormEps = layerNormEps
        self.padTokenID = padTokenID
        self.positionEmbeddingType = positionEmbeddingType
        self.classifierDropout = classifierDropout
        self.modelType = modelType
        self.architectures = architectures
        self.id2label = id2label
        self.label2id = label2id
        self.otherKeys = otherKeys
    }

    /// Width of one attention head, H / heads.
    public var attentionHeadSize: Int { hiddenSize / numAttentionHeads }

    enum Key: String, CodingKey, CaseIterable {
        case vocabSize = "vocab_size"
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case hiddenAct = "hidden_act"
        case hiddenDropoutProb = "hidden_dropout_prob"
        case attentionProbsDropoutProb = "attention_probs_dropout_prob"
        case maxPositionEmbeddings = "max_position_embeddings"
        case typeVocabSize = "type_vocab_size"
        case initializerRange = "initializer_range"
        case layerNormEps = "layer_norm_eps"
        case padTokenID = "pad_token_id"
        case positionEmbeddingType = "position_embedding_type"
        case classifierDropout = "classifier_dropout"
        case modelType = "model_type"
        case architectures
        case id2label
        case label2id
    }

    /// Reads `config.json`; absent keys take the reference defaults.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let d = BertConfig()
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? d.vocabSize
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? d.numHiddenLayers
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? d.numAttentionHeads
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? d.intermediateSize
        hiddenAct = try c.decodeIfPresent(BertActivation.self, forKey: .hiddenAct) ?? d.hiddenAct
        hiddenDropoutProb = try c.decodeIfPresent(Double.self, forKey: .hiddenDropoutProb) ?? d.hiddenDropoutProb
        attentionProbsDropoutProb =
            try c.decodeIfPresent(Double.self, forKey: .attentionProbsDropoutProb) ?? d.attentionProbsDropoutProb
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? d.maxPositionEmbeddings
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? d.typeVocabSize
        initializerRange = try c.decodeIfPresent(Double.self, forKey: .initializerRange) ?? d.initializerRange
        layerNormEps = try c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? d.layerNormEps
        padTokenID = c.contains(.padTokenID) ? try c.decodeIfPresent(Int.self, forKey: .padTokenID) : d.padTokenID
        positionEmbeddingType =
            try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? d.positionEmbeddingType
        classifierDropout = try c.decodeIfPresent(Double.self, forKey: .classifierDropout)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? d.modelType
        architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
        id2label = try c.decodeIfPresent([String: String].self, forKey: .id2label)
        label2id = try c.decodeIfPresent([String: Int].self, forKey: .label2id)

        let known = Set(Key.allCases.map(\.rawValue))
        let all = try decoder.container(keyedBy: AnyCodingKey.self)
        var others: [String: JSONValue] = [:]
        for key in all.allKeys where !known.contains(key.stringValue) {
            others[key.stringValue] = try all.decode(JSONValue.self, forKey: key)
        }
        otherKeys = others
    }

    /// Writes every modelled field (snake_case, as Hugging Face does) plus `otherKeys`.
    public func encode(to encoder: Encoder) throws {
        var all = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, value) in otherKeys where Key(rawValue: key) == nil {
            try all.encode(value, forKey: AnyCodingKey(key))
        }
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
        try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(hiddenAct, forKey: .hiddenAct)
        try c.encode(hiddenDropoutProb, forKey: .hiddenDropoutProb)
        try c.encode(attentionProbsDropoutProb, forKey: .attentionProbsDropoutProb)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(typeVocabSize, forKey: .typeVocabSize)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encode(layerNormEps, forKey: .layerNormEps)
        try c.encode(padTokenID, forKey: .padTokenID)
        try c.encode(positionEmbeddingType, forKey: .positionEmbeddingType)
        try c.encode(classifierDropout, forKey: .classifierDropout)
        try c.encode(modelType, forKey: .modelType)
        try c.encodeIfPresent(architectures, forKey: .architectures)
        try c.encodeIfPresent(id2label, forKey: .id2label)
        try c.encodeIfPresent(label2id, forKey: .label2id)
    }

    /// Checks what Finch's BERT implements; the error names the offending field.
    public func validate() throws(BertConfigError) {
        func positive(_ v: Int, _ field: String) throws(BertConfigError) {
            if v <= 0 { throw .invalid(field: field, value: String(v), reason: "must be positive") }
        }
        try positive(vocabSize, "vocab_size")
        try positive(hiddenSize, "hidden_size")
        try positive(numHiddenLayers, "num_hidden_layers")
        try positive(numAttentionHeads, "num_attention_heads")
        try positive(intermediateSize, "intermediate_size")
        try positive(maxPositionEmbeddings, "max_position_embeddings")
        try positive(typeVocabSize, "type_vocab_size")
        if hiddenSize % numAttentionHeads != 0 {
            throw .invalid(
                field: "num_attention_heads", value: String(numAttentionHeads),
                reason: "hidden_size \(hiddenSize) is not a multiple of it")
        }
        for (field, p) in [
            ("hidden_dropout_prob", hiddenDropoutProb),
            ("attention_probs_dropout_prob", attentionProbsDropoutProb),
        ] where !(p >= 0 && p < 1) {
            throw .invalid(field: field, value: String(p), reason: "must be in [0, 1)")
        }
        if !(layerNormEps > 0) {
            throw .invalid(field: "layer_norm_eps", value: String(layerNormEps), reason: "must be positive")
        }
        if positionEmbeddingType != "absolute" {
            throw .invalid(
                field: "position_embedding_type", value: positionEmbeddingType,
                reason: "only \"absolute\" position embeddings are implemented")
        }
        for flag in ["is_decoder", "add_cross_attention"] where otherKeys[flag] == .bool(true) {
            throw .invalid(field: flag, value: "true", reason: "Finch's BERT is an encoder only")
        }
    }
}

/// A `config.json` that Finch's BERT cannot run.
public enum BertConfigError: Error, Equatable, CustomStringConvertible {
    /// `field` holds `value`, which is not allowed for `reason`.
    case invalid(field: String, value: String, reason: String)

    /// A readable message for the user.
    public var description: String {
        switch self {
        case let .invalid(field, value, reason): return "config field \(field) = \(value): \(reason)"
        }
    }
}
