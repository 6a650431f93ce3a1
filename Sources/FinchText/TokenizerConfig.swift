/// The fields of `transformers`' `tokenizer_config.json` (and
/// `special_tokens_map.json`) that Finch reads: the special tokens and, for
/// a WordPiece model given only as `vocab.txt`, BERT's normalization
/// switches; the tokenizer class, for classes whose pipeline `transformers`
/// builds in code. Unset fields take `BertTokenizer`'s defaults in
/// `Tokenizer.load(directory:)`.
public struct TokenizerConfig: Decodable, Sendable {
    /// Lowercase the input (`do_lower_case`).
    public var doLowerCase: Bool?
    /// Isolate CJK ideographs (`tokenize_chinese_chars`).
    public var tokenizeChineseChars: Bool?
    /// Strip accents (`strip_accents`; null means "as do_lower_case").
    public var stripAccents: Bool?
    /// `unk_token`.
    public var unkToken: String?
    /// `sep_token`.
    public var sepToken: String?
    /// `pad_token`.
    public var padToken: String?
    /// `cls_token`.
    public var clsToken: String?
    /// `mask_token`.
    public var maskToken: String?
    /// `model_max_length`.
    public var modelMaxLength: Int?
    /// `bos_token`.
    public var bosToken: String?
    /// `eos_token`.
    public var eosToken: String?
    /// `tokenizer_class` (e.g. `XLMRobertaTokenizer`).
    public var tokenizerClass: String?
    /// `add_prefix_space` (SentencePiece classes: prepend `▁` to each text).
    public var addPrefixSpace: Bool?

    enum CodingKeys: String, CodingKey {
        case doLowerCase = "do_lower_case"
        case tokenizeChineseChars = "tokenize_chinese_chars"
        case stripAccents = "strip_accents"
        case unkToken = "unk_token"
        case sepToken = "sep_token"
        case padToken = "pad_token"
        case clsToken = "cls_token"
        case maskToken = "mask_token"
        case modelMaxLength = "model_max_length"
        case bosToken = "bos_token"
        case eosToken = "eos_token"
        case tokenizerClass = "tokenizer_class"
        case addPrefixSpace = "add_prefix_space"
    }

    /// An empty configuration (all defaults).
    public init() {}

    /// Decodes `tokenizer_config.json` / `special_tokens_map.json`; tokens may
    /// be strings or `{"content": ...}` objects.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        doLowerCase = try c.decodeIfPresent(Bool.self, forKey: .doLowerCase)
        tokenizeChineseChars = try c.decodeIfPresent(Bool.self, forKey: .tokenizeChineseChars)
        stripAccents = try c.decodeIfPresent(Bool.self, forKey: .stripAccents)
        unkToken = try c.decodeIfPresent(TokenValue.self, forKey: .unkToken)?.content
        sepToken = try c.decodeIfPresent(TokenValue.self, forKey: .sepToken)?.content
        padToken = try c.decodeIfPresent(TokenValue.self, forKey: .padToken)?.content
        clsToken = try c.decodeIfPresent(TokenValue.self, forKey: .clsToken)?.content
        maskToken = try c.decodeIfPresent(TokenValue.self, forKey: .maskToken)?.content
        bosToken = try c.decodeIfPresent(TokenValue.self, forKey: .bosToken)?.content
        eosToken = try c.decodeIfPresent(TokenValue.self, forKey: .eosToken)?.content
        tokenizerClass = try c.decodeIfPresent(String.self, forKey: .tokenizerClass)
        addPrefixSpace = try c.decodeIfPresent(Bool.self, forKey: .addPrefixSpace)
        // Some files store huge sentinels (1e30) here; only exact integers are kept.
        if let value = try c.decodeIfPresent(Double.self, forKey: .modelMaxLength), value >= 0, value < 1e15 {
            modelMaxLength = Int(value)
        }
    }

    /// Fields of `other` fill the ones this configuration lacks.
    func filling(from other: TokenizerConfig) -> TokenizerConfig {
        var merged = self
        merged.doLowerCase = doLowerCase ?? other.doLowerCase
        merged.tokenizeChineseChars = tokenizeChineseChars ?? other.tokenizeChineseChars
        merged.stripAccents = stripAccents ?? other.stripAccents
        merged.unkToken = unkToken ?? other.unkToken
        merged.sepToken = sepToken ?? other.sepToken
        merged.padToken = padToken ?? other.padToken
        merged.clsToken = clsToken ?? other.clsToken
        merged.maskToken = maskToken ?? other.maskToken
        merged.modelMaxLength = modelMaxLength ?? other.modelMaxLength
        merged.bosToken = bosToken ?? other.bosToken
        merged.eosToken = eosToken ?? other.eosToken
        merged.tokenizerClass = tokenizerClass ?? other.tokenizerClass
        merged.addPrefixSpace = addPrefixSpace ?? other.addPrefixSpace
        return merged
    }
}

/// A special token written as a string or as an `AddedToken` object.
struct TokenValue: Decodable {
    var content: String

    enum CodingKeys: String, CodingKey { case content }

    init(from decoder: any Decoder) throws {
        if let text = Self.string(try decoder.singleValueContainer()) {
            content = text
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        content = try c.decode(String.self, forKey: .content)
    }

    private static func string(_ container: any SingleValueDecodingContainer) -> String? {
        do {
            return try container.decode(String.self)
        } catch {
            return nil  // not a string: the caller reads the object form and reports its errors
        }
    }
}
