/// Adds special tokens around one text or a pair, by template
/// (`tokenizers`' `TemplateProcessing`).
///
/// BERT: single `[CLS] $A [SEP]`, pair `[CLS] $A [SEP] $B:1 [SEP]:1` (type
/// ids 0 for the first segment, 1 for the second). XLM-R / e5:
/// `<s> $A </s>` and `<s> $A </s> </s> $B </s>`, all type id 0. Added special
/// tokens get offsets `(0, 0)`, no word id and special-tokens-mask 1.
public struct TemplateProcessing: Hashable, Sendable {
    /// One element of a template.
    public enum Piece: Hashable, Sendable {
        /// The tokens of the first (`0`) or second (`1`) text, with a type id.
        case sequence(index: Int, typeID: Int)
        /// A special token (its ids and strings), with a type id.
        case special(ids: [Int], tokens: [String], typeID: Int)
    }

    /// Template for one text.
    public var single: [Piece]
    /// Template for a pair.
    public var pair: [Piece]

    /// A template processor.
    public init(single: [Piece], pair: [Piece]) {
        self.single = single
        self.pair = pair
    }

    /// BERT's templates with the given `[CLS]` and `[SEP]` tokens.
    public static func bert(cls: (String, Int), sep: (String, Int)) -> TemplateProcessing {
        let c = Piece.special(ids: [cls.1], tokens: [cls.0], typeID: 0)
        let s0 = Piece.special(ids: [sep.1], tokens: [sep.0], typeID: 0)
        let s1 = Piece.special(ids: [sep.1], tokens: [sep.0], typeID: 1)
        return TemplateProcessing(
            single: [c, .sequence(index: 0, typeID: 0), s0],
            pair: [c, .sequence(index: 0, typeID: 0), s0, .sequence(index: 1, typeID: 1), s1])
    }

    /// RoBERTa / XLM-R templates (`<s> A </s></s> B </s>`, type ids all 0).
    public static func roberta(cls: (String, Int), sep: (String, Int)) -> TemplateProcessing {
        let c = Piece.special(ids: [cls.1], tokens: [cls.0], typeID: 0)
        let s = Piece.special(ids: [sep.1], tokens: [sep.0], typeID: 0)
        return TemplateProcessing(
            single: [c, .sequence(index: 0, typeID: 0), s],
            pair: [c, .sequence(index: 0, typeID: 0), s, s, .sequence(index: 1, typeID: 0), s])
    }

    /// Number of special tokens the template adds.
    public func addedTokenCount(isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { count, piece in
            if case .special(let ids, _, _) = piece { return count + ids.count }
            return count
        }
    }

    /// Joins the encodings of the texts (no special tokens yet) by the
    /// template; without `addSpecialTokens` only the type ids apply.
    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        let template = second == nil ? single : pair
        var result = Encoding()
        for piece in template {
            switch piece {
            case .sequence(let index, let typeID):
                guard var part = index == 0 ? first : second else { continue }
                part.typeIDs = [Int](repeating: typeID, count: part.count)
                part.sequenceIDs = [Int?](repeating: index, count: part.count)
                result.append(contentsOf: part)
            case .special(let ids, let tokens, let typeID):
                guard addSpecialTokens else { continue }
                for (id, token) in zip(ids, tokens) {
                    result.append(
                        id: id, token: token, typeID: typeID, offset: .none, wordID: nil, sequenceID: nil,
                        special: true)
                }
            }
        }
        return result
    }
}
