import FinchSupport
import FinchTensor

/// How token vectors become one sentence vector (sentence-transformers'
/// `Pooling` modes).
public enum PoolingMode: String, Codable, Sendable, CaseIterable {
    /// The first attended token (`[CLS]` with right padding).
    case cls
    /// Element-wise maximum over attended tokens.
    case max
    /// Average over attended tokens.
    case mean
    /// Sum over attended tokens divided by √(their count).
    case meanSqrtLenTokens = "mean_sqrt_len_tokens"
    /// Average weighted by position (1, 2, … from the first attended token).
    case weightedMean = "weightedmean"
    /// The last attended token.
    case lastToken = "lasttoken"

    /// The legacy boolean key of `1_Pooling/config.json` for this mode, in
    /// the order sentence-transformers concatenates legacy modes.
    var legacyKey: String {
        switch self {
        case .cls: return "pooling_mode_cls_token"
        case .max: return "pooling_mode_max_tokens"
        case .mean: return "pooling_mode_mean_tokens"
        case .meanSqrtLenTokens: return "pooling_mode_mean_sqrt_len_tokens"
        case .weightedMean: return "pooling_mode_weightedmean_tokens"
        case .lastToken: return "pooling_mode_lasttoken"
        }
    }
}

/// `1_Pooling/config.json`. Reads both spellings sentence-transformers has
/// used: the legacy booleans (`pooling_mode_mean_tokens: true`,
/// `word_embedding_dimension`) and the newer `pooling_mode` (a name or a list)
/// with `embedding_dimension`. Several modes concatenate their vectors in
/// the listed order (legacy: cls, max, mean, mean_sqrt_len, weightedmean,
/// lasttoken). No mode at all means mean, as sentence-transformers decides.
public struct PoolingConfig: Codable, Equatable, Sendable {
    /// Width of each token vector, H.
    public var embeddingDimension: Int
    /// Modes in concatenation order; never empty.
    public var modes: [PoolingMode]
    /// Whether prompt tokens are pooled (Finch embeds without prompts, so only kept for saving).
    public var includePrompt: Bool

    /// A configuration; an empty `modes` means `[.mean]`.
    public init(embeddingDimension: Int, modes: [PoolingMode] = [.mean], includePrompt: Bool = true) {
        self.embeddingDimension = embeddingDimension
        self.modes = modes.isEmpty ? [.mean] : modes
        self.includePrompt = includePrompt
    }

    /// Width of the pooled vector: H per mode.
    public var outputDimension: Int { embeddingDimension * modes.count }

    /// Reads either spelling.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let dimension =
            try c.decodeIfPresent(Int.self, forKey: AnyCodingKey("embedding_dimension"))
            ?? c.decode(Int.self, forKey: AnyCodingKey("word_embedding_dimension"))
        var modes: [PoolingMode] = []
        let modeKey = AnyCodingKey("pooling_mode")
        if c.contains(modeKey) {
            func mode(_ value: JSONValue) throws -> PoolingMode {
                guard case .string(let name) = value, let mode = PoolingMode(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: modeKey, in: c,
                        debugDescription: "unknown pooling mode \(value); known: "
                            + PoolingMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return mode
            }
            switch try c.decode(JSONValue.self, forKey: modeKey) {
            case .array(let list): modes = try list.map(mode)
            case let single: modes = [try mode(single)]
            }
        } else {
            for mode in PoolingMode.allCases where try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey(mode.legacyKey)) == true {
                modes.append(mode)
            }
        }
        let includePrompt = try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey("include_prompt")) ?? true
        self.init(embeddingDimension: dimension, modes: modes, includePrompt: includePrompt)
    }

    /// Writes the legacy booleans every sentence-transformers version reads,
    /// or `pooling_mode` as a list when the modes are not in legacy order.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        let legacyOrder = PoolingMode.allCases.filter { modes.contains($0) }
        if legacyOrder == modes {
            try c.encode(embeddingDimension, forKey: AnyCodingKey("word_embedding_dimension"))
            for mode in PoolingMode.allCases { try c.encode(modes.contains(mode), forKey: AnyCodingKey(mode.legacyKey)) }
        } else {
            try c.encode(embeddingDimension, forKey: AnyCodingKey("embedding_dimension"))
            try c.encode(modes, forKey: AnyCodingKey("pooling_mode"))
        }
        try c.encode(includePrompt, forKey: AnyCodingKey("include_prompt"))
    }
}

/// Pools token vectors into sentence vectors, as sentence-transformers'
/// `Pooling.forward` on a padded batch. Built from differentiable tensor ops,
/// so it can sit in a training graph.
public struct Pooling: Sendable {
    /// The modes and width.
    public let config: PoolingConfig

    /// A pooling layer for `config`.
    public init(config: PoolingConfig) { self.config = config }

    /// `hidden` [B, S, H] and `attentionMask` (B·S entries, 1 = token) →
    /// [B, H · modes]. Mean divides by max(count, 1e-9); max over an
    /// all-padding row is −∞; cls and lasttoken take the first / last
    /// attended position (lasttoken gives zeros for an all-padding row).
    public func callAsFunction(_ hidden: Tensor, attentionMask: [Int]) -> Tensor {
        let b = hidden.shape[0], s = hidden.shape[1], h = hidden.shape[2]
        precondition(h == config.embeddingDimension, "pooling expects width \(config.embeddingDimension), got \(h)")
        precondition(attentionMask.count == b * s, "\(attentionMask.count) mask entries for a \(b)×\(s) batch")
        let mask = Tensor(shape: [b, s, 1], values: attentionMask.map { Float($0) })
        var first = [Int](repeating: 0, count: b), last = [Int](repeating: s - 1, count: b)
        var any = [Bool](repeating: false, count: b)
        for row in 0..<b {
            for j in 0..<s where attentionMask[row * s + j] != 0 {
                if !any[row] { first[row] = j }
                any[row] = true
                last[row] = j
            }
        }
        let rows = hidden.reshaped([b * s, h])
        var parts: [Tensor] = []
        for mode in config.modes {
            switch mode {
            case .cls:
                parts.append(rows.gatherRows((0..<b).map { $0 * s + first[$0] }, indexShape: [b]))
            case .max:
                parts.append(hidden.maskedFill(1 - mask, -.infinity).max(axis: 1))
            case .mean, .meanSqrtLenTokens:
                let sum = (hidden * mask).sum(axis: 1)  // [B, H]
                let count = mask.sum(axis: 1).clamped(min: 1e-9, max: .greatestFiniteMagnitude)  // [B, 1]
                parts.append(mode == .mean ? sum / count : sum / count.sqrt())
            case .weightedMean:
                var w = [Float](repeating: 0, count: b * s)
                for row in 0..<b {
                    for j in 0..<s { w[row * s + j] = Float(attentionMask[row * s + j]) * Float(j + 1 - first[row]) }
                }
                let weights = Tensor(shape: [b, s, 1], values: w)
                let total = weights.sum(axis: 1).clamped(min: 1e-9, max: .greatestFiniteMagnitude)
                parts.append((hidden * weights).sum(axis: 1) / total)
            case .lastToken:
                let picked = rows.gatherRows((0..<b).map { $0 * s + last[$0] }, indexShape: [b])
                parts.append(picked * Tensor(shape: [b, 1], values: any.map { $0 ? 1 : 0 }))
            }
        }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 1)
    }
}

extension Tensor {
    /// Rows scaled to unit L2 norm: x / max(‖x‖₂, 1e-12) over the last axis,
    /// as `torch.nn.functional.normalize` (sentence-transformers' `Normalize`).
    public func l2Normalized() -> Tensor {
        let norm = (self * self).sum(axis: -1, keepDims: true).sqrt()
        return self / norm.clamped(min: 1e-12, max: .greatestFiniteMagnitude)
    }
}
