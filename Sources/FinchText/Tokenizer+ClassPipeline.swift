import Foundation

/// Pipelines that `transformers` builds from the tokenizer class instead of
/// reading them from `tokenizer.json`.
///
/// `transformers` 5 constructs `XLMRobertaTokenizer` (multilingual-e5,
/// XLM-R) in code and takes only the vocabulary, the Precompiled charsmap and
/// the added tokens from the file (`tokenization_xlm_roberta.py`):
/// normalizer = Precompiled alone, pre-tokenizer = WhitespaceSplit then
/// Metaspace(`▁`, prepend unless `add_prefix_space` is false, split), and the
/// template `<bos> A <eos>` / `<bos> A <eos> <eos> B <eos>`. Files converted
/// by `tokenizers` store Replace(" {2,}" → " ") and Metaspace alone instead,
/// which turn trailing whitespace, whitespace-only text and the spaces
/// between added tokens into `▁` pieces that SentencePiece and
/// `transformers` never produce. `Tokenizer.load(directory:)` reads
/// `tokenizer_class` from `tokenizer_config.json` and follows
/// `transformers`; other classes follow the file.
extension Tokenizer {
    /// The (normalizer, pre-tokenizer, post-processor) `transformers` uses
    /// for `config.tokenizerClass`, or nil to follow the file.
    static func classPipeline(
        json: TokenizerJSON, config: TokenizerConfig, model: TokenizerModel, addedTokenIDs: [String: Int], path: String
    ) throws -> (Normalizer?, PreTokenizer?, TemplateProcessing?)? {
        guard config.tokenizerClass == "XLMRobertaTokenizer", case .unigram = model else { return nil }
        let normalizer = try json.normalizer.flatMap(firstPrecompiled).map { try Self.normalizer($0, path: path) }
        let metaspace = MetaspacePreTokenizer(
            replacement: 0x2581, prependScheme: config.addPrefixSpace == false ? .never : .always, split: true)
        func special(_ token: String, role: String) throws -> (String, Int) {
            guard let id = addedTokenIDs[token] ?? model.id(for: token) else {
                throw TokenizerError.missingToken(token: token, role: role)
            }
            return (token, id)
        }
        let bos = try special(config.bosToken ?? "<s>", role: "bos_token")
        let eos = try special(config.eosToken ?? "</s>", role: "eos_token")
        return (normalizer, .sequence([.whitespaceSplit, .metaspace(metaspace)]), .roberta(cls: bos, sep: eos))
    }

    /// The first Precompiled normalizer of a (possibly nested) normalizer.
    private static func firstPrecompiled(_ json: NormalizerJSON) -> NormalizerJSON? {
        switch json {
        case .precompiled: return json
        case .sequence(let items): return items.lazy.compactMap(firstPrecompiled).first
        default: return nil
        }
    }
}
