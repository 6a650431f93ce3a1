import Foundation

/// Turning the typed `tokenizer.json` components into pipeline stages.
extension Tokenizer {
    static func normalizer(_ json: NormalizerJSON, path: String) throws -> Normalizer {
        switch json {
        case .bert(let cleanText, let handleChineseChars, let stripAccents, let lowercase):
            return .bert(
                BertNormalizer(
                    cleanText: cleanText, handleChineseCharacters: handleChineseChars, stripAccents: stripAccents,
                    lowercase: lowercase))
        case .precompiled(let charsMap):
            guard let charsMap, !charsMap.isEmpty else { return .sequence([]) }
            return .precompiled(PrecompiledNormalizer(charsMap: try PrecompiledCharsMap(base64: charsMap)))
        case .replace(let pattern, let content):
            switch pattern {
            case .string(let literal):
                return .replace(ReplaceNormalizer(literal: literal, content: content))
            case .regex(let regex):
                return .replace(try ReplaceNormalizer(regex: regex, content: content))
            }
        case .lowercase:
            return .lowercase
        case .strip(let left, let right):
            return .strip(left: left, right: right)
        case .prepend(let prefix):
            return .prepend(prefix.unicodeScalars.map(\.value))
        case .sequence(let items):
            return .sequence(try items.map { try normalizer($0, path: path) })
        case .unsupported(let type):
            throw TokenizerError.unsupported(path: path, component: "normalizer", type: type)
        }
    }

    static func preTokenizer(_ json: PreTokenizerJSON, path: String) throws -> PreTokenizer {
        switch json {
        case .bert:
            return .bert
        case .metaspace(let replacement, let prependScheme, let addPrefixSpace, let split):
            let scalars = Array(replacement.unicodeScalars)
            guard scalars.count == 1 else {
                throw TokenizerError.invalidConfiguration(
                    field: "pre_tokenizer.replacement", reason: "`\(replacement)` is not a single character")
            }
            var scheme = MetaspacePreTokenizer.PrependScheme.always
            if let name = prependScheme {
                guard let parsed = MetaspacePreTokenizer.PrependScheme(rawValue: name) else {
                    throw TokenizerError.invalidConfiguration(
                        field: "pre_tokenizer.prepend_scheme", reason: "unknown scheme `\(name)`")
                }
                scheme = parsed
            }
            // tokenizers: add_prefix_space == false forces "never".
            if addPrefixSpace == false { scheme = .never }
            return .metaspace(
                MetaspacePreTokenizer(replacement: scalars[0].value, prependScheme: scheme, split: split ?? true))
        case .whitespaceSplit:
            return .whitespaceSplit
        case .punctuation(let behavior):
            // Files spell it "MergedWithNext"; the Python API "merged_with_next".
            let name = behavior ?? "Isolated"
            let key = name.replacingOccurrences(of: "_", with: "").lowercased()
            let behaviors: [SplitDelimiterBehavior] = [
                .removed, .isolated, .mergedWithPrevious, .mergedWithNext, .contiguous,
            ]
            guard let parsed = behaviors.first(where: { $0.rawValue.lowercased() == key }) else {
                throw TokenizerError.invalidConfiguration(
                    field: "pre_tokenizer.behavior", reason: "unknown behavior `\(name)`")
            }
            return .punctuation(parsed)
        case .sequence(let items):
            return .sequence(try items.map { try preTokenizer($0, path: path) })
        case .unsupported(let type):
            throw TokenizerError.unsupported(path: path, component: "pre_tokenizer", type: type)
        }
    }

    static func postProcessor(_ json: PostProcessorJSON, path: String) throws -> TemplateProcessing {
        switch json {
        case .template(let single, let pair, let specialTokens):
            func pieces(_ items: [TemplatePieceJSON], field: String) throws -> [TemplateProcessing.Piece] {
                try items.map { item in
                    switch item {
                    case .sequence(let id, let typeID):
                        guard id == "A" || id == "B" else {
                            throw TokenizerError.invalidConfiguration(
                                field: "post_processor.\(field)", reason: "unknown sequence `\(id)`")
                        }
                        return .sequence(index: id == "A" ? 0 : 1, typeID: typeID)
                    case .specialToken(let id, let typeID):
                        guard let token = specialTokens[id] else {
                            throw TokenizerError.invalidConfiguration(
                                field: "post_processor.special_tokens", reason: "no entry for `\(id)`")
                        }
                        guard token.ids.count == token.tokens.count else {
                            throw TokenizerError.invalidConfiguration(
                                field: "post_processor.special_tokens.\(id)", reason: "ids and tokens differ in length")
                        }
                        return .special(ids: token.ids, tokens: token.tokens, typeID: typeID)
                    }
                }
            }
            return TemplateProcessing(
                single: try pieces(single, field: "single"), pair: try pieces(pair, field: "pair"))
        case .bert(let sep, let cls):
            return .bert(cls: (cls.token, cls.id), sep: (sep.token, sep.id))
        case .roberta(let sep, let cls, let trimOffsets):
            guard !trimOffsets else {
                throw TokenizerError.unsupported(
                    path: path, component: "post_processor", type: "RobertaProcessing with trim_offsets")
            }
            return .roberta(cls: (cls.token, cls.id), sep: (sep.token, sep.id))
        case .unsupported(let type):
            throw TokenizerError.unsupported(path: path, component: "post_processor", type: type)
        }
    }
}
