/// A text normalizer of a tokenizer pipeline: the kinds of `tokenizer.json`
/// Finch supports. Each rewrites the text and keeps, for every scalar, the
/// original range it came from.
enum Normalizer: Sendable {
    /// BERT's cleaning, CJK spacing, accent stripping and lowercasing.
    case bert(BertNormalizer)
    /// SentencePiece's compiled rules.
    case precompiled(PrecompiledNormalizer)
    /// Pattern replacement.
    case replace(ReplaceNormalizer)
    /// Full Unicode lowercasing per scalar (Rust `char::to_lowercase`).
    case lowercase
    /// Removes leading and/or trailing whitespace.
    case strip(left: Bool, right: Bool)
    /// Inserts a string before the text (when it is not empty).
    case prepend([UInt32])
    /// Several normalizers in order.
    case sequence([Normalizer])

    func normalize(_ text: inout NormalizedText) {
        switch self {
        case .bert(let bert):
            bert.normalize(&text)
        case .precompiled(let precompiled):
            precompiled.normalize(&text)
        case .replace(let replace):
            replace.normalize(&text)
        case .lowercase:
            BertNormalizer(cleanText: false, handleChineseCharacters: false, stripAccents: false, lowercase: true)
                .normalize(&text)
        case .strip(let left, let right):
            let classes = CharacterClasses.shared
            var lower = 0
            var upper = text.scalars.count
            if left { while lower < upper && classes.isWhitespace(text.scalars[lower]) { lower += 1 } }
            if right { while upper > lower && classes.isWhitespace(text.scalars[upper - 1]) { upper -= 1 } }
            if lower > 0 || upper < text.scalars.count {
                let start = text.originalStart
                text = text.slice(lower..<upper)
                text.originalStart = start
            }
        case .prepend(let prefix):
            text.prepend(prefix)
        case .sequence(let normalizers):
            for normalizer in normalizers { normalizer.normalize(&text) }
        }
    }
}
