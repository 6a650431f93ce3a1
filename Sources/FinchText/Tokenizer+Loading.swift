import Foundation

extension Tokenizer {
    /// Loads the tokenizer of a model directory in Hugging Face layout:
    /// `tokenizer.json` when present, otherwise `vocab.txt` as a BERT
    /// WordPiece tokenizer configured by `tokenizer_config.json` (and
    /// `special_tokens_map.json`), as `transformers`' `BertTokenizer` does.
    ///
    /// - Throws: `TokenizerError` naming the file and field at fault.
    public static func load(directory: URL) throws -> Tokenizer {
        let files = FileManager.default
        let config = try readConfig(in: directory)
        let json = directory.appendingPathComponent("tokenizer.json")
        if files.fileExists(atPath: json.path) {
            return try Tokenizer(contentsOf: json, config: config)
        }
        let vocabulary = directory.appendingPathComponent("vocab.txt")
        if files.fileExists(atPath: vocabulary.path) {
            return try wordPiece(vocabularyFile: vocabulary, config: config)
        }
        throw TokenizerError.noTokenizerFiles(directory: directory.path)
    }

    /// Reads `tokenizer_config.json` filled in by `special_tokens_map.json`
    /// (either may be absent).
    public static func readConfig(in directory: URL) throws -> TokenizerConfig {
        var config = TokenizerConfig()
        for name in ["tokenizer_config.json", "special_tokens_map.json"] {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            config = config.filling(from: try decodeJSON(TokenizerConfig.self, from: url))
        }
        return config
    }

    /// Loads a `tokenizer.json`; `config` supplies the padding token when the
    /// file's own `padding` block does not, and its `tokenizer_class` may
    /// replace the file's pipeline as `transformers` does (see
    /// `classPipeline`). Without a configuration the file is followed as
    /// `tokenizers` follows it.
    public convenience init(contentsOf url: URL, config: TokenizerConfig = TokenizerConfig()) throws {
        let json = try Self.decodeJSON(TokenizerJSON.self, from: url)
        try self.init(json: json, config: config, path: url.path)
    }

    /// Builds a tokenizer from decoded `tokenizer.json` contents; `path`
    /// names the file in errors.
    public convenience init(
        json: TokenizerJSON, config: TokenizerConfig = TokenizerConfig(), path: String = "tokenizer.json"
    ) throws {
        let model: TokenizerModel
        switch json.model {
        case .wordPiece(let vocab, let unkToken, let prefix, let maxChars):
            model = .wordPiece(
                try WordPieceModel(
                    vocabulary: vocab, unknownToken: unkToken, continuingSubwordPrefix: prefix,
                    maxInputCharactersPerWord: maxChars))
        case .unigram(let vocab, let unkID, let byteFallback):
            guard let unkID else {
                throw TokenizerError.unsupported(path: path, component: "model", type: "Unigram without unk_id")
            }
            model = .unigram(
                try UnigramModel(
                    pieces: vocab.map(\.piece), scores: vocab.map(\.score), unknownID: unkID, byteFallback: byteFallback
                ))
        case .unsupported(let type):
            throw TokenizerError.unsupported(path: path, component: "model", type: type)
        }
        var normalizer = try json.normalizer.map { try Self.normalizer($0, path: path) }
        var preTokenizer = try json.preTokenizer.map { try Self.preTokenizer($0, path: path) }
        var postProcessor = try json.postProcessor.map { try Self.postProcessor($0, path: path) }
        let addedTokens = json.addedTokens.map {
            AddedToken(
                id: $0.id, content: $0.content, singleWord: $0.singleWord, leftStrip: $0.lstrip, rightStrip: $0.rstrip,
                normalized: $0.normalized, special: $0.special)
        }
        var ids: [String: Int] = [:]
        for token in addedTokens { ids[token.content] = token.id }
        if let pipeline = try Self.classPipeline(json: json, config: config, model: model, addedTokenIDs: ids, path: path) {
            (normalizer, preTokenizer, postProcessor) = pipeline
        }
        var padding: PaddingToken? = nil
        if let name = config.padToken, let id = ids[name] ?? model.id(for: name) {
            padding = PaddingToken(id: id, token: name, typeID: json.padding?.padTypeID ?? 0)
        } else if let stored = json.padding, let id = stored.padID {
            padding = PaddingToken(id: id, token: stored.padToken ?? "", typeID: stored.padTypeID ?? 0)
        }
        self.init(
            model: model, normalizer: normalizer, preTokenizer: preTokenizer, addedTokens: addedTokens,
            postProcessor: postProcessor, paddingToken: padding)
    }

    /// A BERT tokenizer from a `vocab.txt` (one token per line, id = line
    /// index, a later duplicate wins), configured like `transformers`'
    /// `BertTokenizer`: BERT normalizer (`do_lower_case`,
    /// `tokenize_chinese_chars`, `strip_accents`), BERT pre-tokenizer,
    /// WordPiece (`##`, 100 scalars per word), `[CLS] A [SEP] B [SEP]`.
    public static func wordPiece(vocabularyFile url: URL, config: TokenizerConfig = TokenizerConfig()) throws
        -> Tokenizer
    {
        let vocabulary = try readVocabulary(url)
        let unk = config.unkToken ?? "[UNK]"
        let cls = config.clsToken ?? "[CLS]"
        let sep = config.sepToken ?? "[SEP]"
        let pad = config.padToken ?? "[PAD]"
        let mask = config.maskToken ?? "[MASK]"
        let model = try WordPieceModel(vocabulary: vocabulary, unknownToken: unk)
        guard let clsID = vocabulary[cls] else { throw TokenizerError.missingToken(token: cls, role: "cls_token") }
        guard let sepID = vocabulary[sep] else { throw TokenizerError.missingToken(token: sep, role: "sep_token") }
        var added: [AddedToken] = []
        for name in [pad, unk, cls, sep, mask] {
            if let id = vocabulary[name], !added.contains(where: { $0.content == name }) {
                added.append(AddedToken(id: id, content: name))
            }
        }
        added.sort { $0.id < $1.id }
        let lowercase = config.doLowerCase ?? true
        let normalizer = BertNormalizer(
            cleanText: true, handleChineseCharacters: config.tokenizeChineseChars ?? true,
            stripAccents: config.stripAccents, lowercase: lowercase)
        return Tokenizer(
            model: .wordPiece(model), normalizer: .bert(normalizer), preTokenizer: .bert, addedTokens: added,
            postProcessor: .bert(cls: (cls, clsID), sep: (sep, sepID)),
            paddingToken: vocabulary[pad].map { PaddingToken(id: $0, token: pad) })
    }

    /// Reads `vocab.txt`: lines end at `\n`, `\r\n` or `\r` (Python's
    /// universal newlines, as `transformers` reads it).
    static func readVocabulary(_ url: URL) throws -> [String: Int] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: "\(error.localizedDescription)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TokenizerError.invalidVocabularyLine(
                path: url.path, line: Self.firstInvalidUTF8Line(data), reason: "not valid UTF-8")
        }
        var vocabulary: [String: Int] = [:]
        var index = 0
        var current = String.UnicodeScalarView()
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasReturn {
                previousWasReturn = false
                continue
            }
            previousWasReturn = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                vocabulary[String(current)] = index
                index += 1
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { vocabulary[String(current)] = index }
        if vocabulary.isEmpty {
            throw TokenizerError.invalidVocabularyLine(path: url.path, line: 1, reason: "the vocabulary is empty")
        }
        return vocabulary
    }

    private static func firstInvalidUTF8Line(_ data: Data) -> Int {
        var line = 1
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            if String(validating: data[start..<end], as: UTF8.self) == nil { return line }
            line += 1
            start = end < data.endIndex ? data.index(after: end) : end
        }
        return line
    }

    /// Decodes a JSON file, turning decoding errors into `TokenizerError`s
    /// that name the file and the JSON path.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: "\(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw Self.describe(error, path: url.path)
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw TokenizerError.invalidJSON(path: url.path, field: "", reason: "\(error)")
        }
    }

    static func describe(_ error: DecodingError, path: String) -> TokenizerError {
        func field(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = field(context.codingPath)
            return .invalidJSON(
                path: path, field: parent.isEmpty ? key.stringValue : parent + "." + key.stringValue,
                reason: "missing")
        case .typeMismatch(let type, let context):
            return .invalidJSON(path: path, field: field(context.codingPath), reason: "expected \(type)")
        case .valueNotFound(let type, let context):
            return .invalidJSON(path: path, field: field(context.codingPath), reason: "expected \(type), found null")
        case .dataCorrupted(let context):
            return .invalidJSON(path: path, field: field(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .invalidJSON(path: path, field: "", reason: "\(error)")
        }
    }
}
