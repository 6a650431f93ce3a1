/// The contents of a Hugging Face `tokenizer.json`, as typed values.
///
/// Components of a kind Finch does not implement decode to an `unsupported`
/// case naming their `type`, so loading can fail with that name instead of
/// a decoding error. The file's `truncation` and `padding` settings are not
/// applied (as in `transformers`); `padding` is read only for its pad token.
public struct TokenizerJSON: Decodable, Sendable {
    /// Format version ("1.0").
    public var version: String?
    /// Tokens matched before the model runs.
    public var addedTokens: [AddedTokenJSON]
    /// The normalizer, if any.
    public var normalizer: NormalizerJSON?
    /// The pre-tokenizer, if any.
    public var preTokenizer: PreTokenizerJSON?
    /// The post-processor, if any.
    public var postProcessor: PostProcessorJSON?
    /// The model.
    public var model: ModelJSON
    /// Stored padding settings (only `pad_id`/`pad_token`/`pad_type_id` are used).
    public var padding: PaddingJSON?

    enum CodingKeys: String, CodingKey {
        case version, normalizer, model, padding
        case addedTokens = "added_tokens"
        case preTokenizer = "pre_tokenizer"
        case postProcessor = "post_processor"
    }

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(String.self, forKey: .version)
        addedTokens = try c.decodeIfPresent([AddedTokenJSON].self, forKey: .addedTokens) ?? []
        normalizer = try c.decodeIfPresent(NormalizerJSON.self, forKey: .normalizer)
        preTokenizer = try c.decodeIfPresent(PreTokenizerJSON.self, forKey: .preTokenizer)
        postProcessor = try c.decodeIfPresent(PostProcessorJSON.self, forKey: .postProcessor)
        model = try c.decode(ModelJSON.self, forKey: .model)
        padding = try c.decodeIfPresent(PaddingJSON.self, forKey: .padding)
    }
}

/// One entry of `added_tokens`.
public struct AddedTokenJSON: Decodable, Sendable {
    /// The token's id.
    public var id: Int
    /// The text matched.
    public var content: String
    /// `single_word`: match only outside words.
    public var singleWord: Bool
    /// `lstrip`: absorb whitespace on the left.
    public var lstrip: Bool
    /// `rstrip`: absorb whitespace on the right.
    public var rstrip: Bool
    /// `normalized`: match in normalized text (default: not special).
    public var normalized: Bool
    /// `special`: a special token.
    public var special: Bool

    enum CodingKeys: String, CodingKey {
        case id, content, lstrip, rstrip, normalized, special
        case singleWord = "single_word"
    }

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        content = try c.decode(String.self, forKey: .content)
        singleWord = try c.decodeIfPresent(Bool.self, forKey: .singleWord) ?? false
        lstrip = try c.decodeIfPresent(Bool.self, forKey: .lstrip) ?? false
        rstrip = try c.decodeIfPresent(Bool.self, forKey: .rstrip) ?? false
        special = try c.decodeIfPresent(Bool.self, forKey: .special) ?? false
        // tokenizers' default: normalized unless special.
        normalized = try c.decodeIfPresent(Bool.self, forKey: .normalized) ?? !special
    }
}

/// The stored `padding` block.
public struct PaddingJSON: Decodable, Sendable {
    /// `pad_id`.
    public var padID: Int?
    /// `pad_type_id`.
    public var padTypeID: Int?
    /// `pad_token`.
    public var padToken: String?

    enum CodingKeys: String, CodingKey {
        case padID = "pad_id"
        case padTypeID = "pad_type_id"
        case padToken = "pad_token"
    }
}

/// A `{"String": ...}` or `{"Regex": ...}` pattern.
public enum PatternJSON: Decodable, Sendable {
    /// A literal string.
    case string(String)
    /// A regular expression (Oniguruma syntax in `tokenizers`).
    case regex(String)

    enum CodingKeys: String, CodingKey {
        case string = "String"
        case regex = "Regex"
    }

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let s = try c.decodeIfPresent(String.self, forKey: .string) {
            self = .string(s)
        } else {
            self = .regex(try c.decode(String.self, forKey: .regex))
        }
    }
}

/// Keys shared by the tagged component objects.
struct ComponentKeys: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    static func key(_ name: String) -> ComponentKeys { ComponentKeys(stringValue: name) }
}

extension KeyedDecodingContainer where Key == ComponentKeys {
    func value<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try decode(type, forKey: .key(name))
    }

    func optional<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
        try decodeIfPresent(type, forKey: .key(name))
    }
}

/// A `normalizer` object.
public indirect enum NormalizerJSON: Decodable, Sendable {
    /// `BertNormalizer`.
    case bert(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool?, lowercase: Bool)
    /// `Precompiled`, with the base64 `precompiled_charsmap`.
    case precompiled(charsMap: String?)
    /// `Replace`.
    case replace(pattern: PatternJSON, content: String)
    /// `Lowercase`.
    case lowercase
    /// `Strip`.
    case strip(left: Bool, right: Bool)
    /// `Prepend`.
    case prepend(String)
    /// `Sequence`.
    case sequence([NormalizerJSON])
    /// Any other `type` (loading it fails with the name).
    case unsupported(type: String)

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ComponentKeys.self)
        let type = try c.value(String.self, "type")
        switch type {
        case "BertNormalizer":
            self = .bert(
                cleanText: try c.optional(Bool.self, "clean_text") ?? true,
                handleChineseChars: try c.optional(Bool.self, "handle_chinese_chars") ?? true,
                stripAccents: try c.optional(Bool.self, "strip_accents"),
                lowercase: try c.optional(Bool.self, "lowercase") ?? true)
        case "Precompiled":
            self = .precompiled(charsMap: try c.optional(String.self, "precompiled_charsmap"))
        case "Replace":
            self = .replace(pattern: try c.value(PatternJSON.self, "pattern"), content: try c.value(String.self, "content"))
        case "Lowercase":
            self = .lowercase
        case "Strip":
            self = .strip(
                left: try c.optional(Bool.self, "strip_left") ?? true,
                right: try c.optional(Bool.self, "strip_right") ?? true)
        case "Prepend":
            self = .prepend(try c.value(String.self, "prepend"))
        case "Sequence":
            self = .sequence(try c.value([NormalizerJSON].self, "normalizers"))
        default:
            self = .unsupported(type: type)
        }
    }
}

/// A `pre_tokenizer` object.
public indirect enum PreTokenizerJSON: Decodable, Sendable {
    /// `BertPreTokenizer`.
    case bert
    /// `Metaspace` (older files have `add_prefix_space` instead of `prepend_scheme`).
    case metaspace(replacement: String, prependScheme: String?, addPrefixSpace: Bool?, split: Bool?)
    /// `WhitespaceSplit`.
    case whitespaceSplit
    /// `Punctuation`.
    case punctuation(behavior: String?)
    /// `Sequence`.
    case sequence([PreTokenizerJSON])
    /// Any other `type` (loading it fails with the name).
    case unsupported(type: String)

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ComponentKeys.self)
        let type = try c.value(String.self, "type")
        switch type {
        case "BertPreTokenizer":
            self = .bert
        case "Metaspace":
            self = .metaspace(
                replacement: try c.value(String.self, "replacement"),
                prependScheme: try c.optional(String.self, "prepend_scheme"),
                addPrefixSpace: try c.optional(Bool.self, "add_prefix_space"),
                split: try c.optional(Bool.self, "split"))
        case "WhitespaceSplit":
            self = .whitespaceSplit
        case "Punctuation":
            self = .punctuation(behavior: try c.optional(String.self, "behavior"))
        case "Sequence":
            self = .sequence(try c.value([PreTokenizerJSON].self, "pretokenizers"))
        default:
            self = .unsupported(type: type)
        }
    }
}

/// One element of a `TemplateProcessing` template.
public enum TemplatePieceJSON: Decodable, Sendable {
    /// `{"Sequence": {"id": "A" | "B", "type_id": n}}`.
    case sequence(id: String, typeID: Int)
    /// `{"SpecialToken": {"id": "[CLS]", "type_id": n}}`.
    case specialToken(id: String, typeID: Int)

    enum CodingKeys: String, CodingKey {
        case sequence = "Sequence"
        case specialToken = "SpecialToken"
    }

    struct Body: Decodable {
        var id: String
        var typeID: Int
        enum CodingKeys: String, CodingKey {
            case id
            case typeID = "type_id"
        }
    }

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let body = try c.decodeIfPresent(Body.self, forKey: .sequence) {
            self = .sequence(id: body.id, typeID: body.typeID)
        } else {
            let body = try c.decode(Body.self, forKey: .specialToken)
            self = .specialToken(id: body.id, typeID: body.typeID)
        }
    }
}

/// An entry of `TemplateProcessing`'s `special_tokens`.
public struct TemplateSpecialTokenJSON: Decodable, Sendable {
    /// The name used in the templates.
    public var id: String
    /// The ids it adds.
    public var ids: [Int]
    /// The token strings it adds.
    public var tokens: [String]
}

/// A `[token, id]` pair as `BertProcessing` and `RobertaProcessing` store them.
public struct TokenIDPairJSON: Decodable, Sendable {
    /// The token string.
    public var token: String
    /// Its id.
    public var id: Int

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        token = try c.decode(String.self)
        id = try c.decode(Int.self)
    }
}

/// A `post_processor` object.
public enum PostProcessorJSON: Decodable, Sendable {
    /// `TemplateProcessing`.
    case template(
        single: [TemplatePieceJSON], pair: [TemplatePieceJSON], specialTokens: [String: TemplateSpecialTokenJSON])
    /// `BertProcessing`.
    case bert(sep: TokenIDPairJSON, cls: TokenIDPairJSON)
    /// `RobertaProcessing` (supported with `trim_offsets: false` only).
    case roberta(sep: TokenIDPairJSON, cls: TokenIDPairJSON, trimOffsets: Bool)
    /// Any other `type` (loading it fails with the name).
    case unsupported(type: String)

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ComponentKeys.self)
        let type = try c.value(String.self, "type")
        switch type {
        case "TemplateProcessing":
            self = .template(
                single: try c.value([TemplatePieceJSON].self, "single"),
                pair: try c.value([TemplatePieceJSON].self, "pair"),
                specialTokens: try c.optional([String: TemplateSpecialTokenJSON].self, "special_tokens") ?? [:])
        case "BertProcessing":
            self = .bert(sep: try c.value(TokenIDPairJSON.self, "sep"), cls: try c.value(TokenIDPairJSON.self, "cls"))
        case "RobertaProcessing":
            self = .roberta(
                sep: try c.value(TokenIDPairJSON.self, "sep"), cls: try c.value(TokenIDPairJSON.self, "cls"),
                trimOffsets: try c.optional(Bool.self, "trim_offsets") ?? true)
        default:
            self = .unsupported(type: type)
        }
    }
}

/// A `[piece, score]` entry of a Unigram vocabulary.
public struct UnigramPieceJSON: Decodable, Sendable {
    /// The piece.
    public var piece: String
    /// Its log probability.
    public var score: Double

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        piece = try c.decode(String.self)
        score = try c.decode(Double.self)
    }
}

/// The `model` object.
public enum ModelJSON: Decodable, Sendable {
    /// `WordPiece` (defaults: `[UNK]`, `##`, 100).
    case wordPiece(vocab: [String: Int], unkToken: String, continuingSubwordPrefix: String, maxInputCharsPerWord: Int)
    /// `Unigram`.
    case unigram(vocab: [UnigramPieceJSON], unkID: Int?, byteFallback: Bool)
    /// Any other `type` (BPE, WordLevel): loading it fails with the name.
    case unsupported(type: String)

    /// Decodes the JSON form described above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ComponentKeys.self)
        // Old files omit "type": BPE has `merges`, WordPiece `unk_token`, Unigram only `vocab`.
        var type = try c.optional(String.self, "type")
        if type == nil {
            if c.contains(.key("merges")) {
                type = "BPE"
            } else if c.contains(.key("unk_token")) {
                type = "WordPiece"
            } else if c.contains(.key("vocab")) {
                type = "Unigram"
            }
        }
        switch type {
        case "WordPiece":
            self = .wordPiece(
                vocab: try c.value([String: Int].self, "vocab"),
                unkToken: try c.optional(String.self, "unk_token") ?? "[UNK]",
                continuingSubwordPrefix: try c.optional(String.self, "continuing_subword_prefix") ?? "##",
                maxInputCharsPerWord: try c.optional(Int.self, "max_input_chars_per_word") ?? 100)
        case "Unigram":
            self = .unigram(
                vocab: try c.value([UnigramPieceJSON].self, "vocab"),
                unkID: try c.optional(Int.self, "unk_id"),
                byteFallback: try c.optional(Bool.self, "byte_fallback") ?? false)
        default:
            self = .unsupported(type: type ?? "(no type)")
        }
    }
}
