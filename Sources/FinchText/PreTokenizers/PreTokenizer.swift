/// A pre-tokenizer: cuts normalized text into the words the model
/// tokenizes one by one. The kinds of `tokenizer.json` Finch supports.
enum PreTokenizer: Sendable {
    /// BERT: split on whitespace (removed) and punctuation (isolated).
    case bert
    /// SentencePiece's metaspace: spaces become `▁`, optionally prefixed, and
    /// words start at each `▁`.
    case metaspace(MetaspacePreTokenizer)
    /// Split on whitespace (removed).
    case whitespaceSplit
    /// Split on punctuation with the given behaviour.
    case punctuation(SplitDelimiterBehavior)
    /// Several pre-tokenizers in order.
    case sequence([PreTokenizer])

    func preTokenize(_ text: inout PreTokenizedText) {
        let classes = CharacterClasses.shared
        switch self {
        case .bert:
            classes.flags.withUnsafeBufferPointer { flags in
                text.cutSplits { scalars, pieces in
                    var start = 0
                    for i in 0..<scalars.count {
                        let c = scalars[i]
                        let f = c <= 0xFFFF ? flags[Int(c)] : classes.flags(of: c)
                        if f & CharacterClasses.whitespaceBit != 0 {
                            if start < i { pieces.append(start..<i) }
                            start = i + 1
                        } else if f & CharacterClasses.punctuationBit != 0 {
                            if start < i { pieces.append(start..<i) }
                            pieces.append(i..<(i + 1))
                            start = i + 1
                        }
                    }
                    if start < scalars.count { pieces.append(start..<scalars.count) }
                }
            }
        case .metaspace(let metaspace):
            metaspace.preTokenize(&text)
        case .whitespaceSplit:
            text.cutSplits { scalars, pieces in
                PatternSplitter.split(scalars, behavior: .removed, into: &pieces) { classes.isWhitespace($0) }
            }
        case .punctuation(let behavior):
            text.cutSplits { scalars, pieces in
                PatternSplitter.split(scalars, behavior: behavior, into: &pieces) {
                    classes.flags(of: $0) & CharacterClasses.punctuationBit != 0
                }
            }
        case .sequence(let preTokenizers):
            for preTokenizer in preTokenizers { preTokenizer.preTokenize(&text) }
        }
    }
}

/// SentencePiece-style word marking (`tokenizers`' `Metaspace`): every ' '
/// becomes `replacement` (U+2581 `▁`); the text gets a leading `▁` when it
/// lacks one (`always`), only at the start of the input (`first`), or
/// never; with `split`, each `▁` starts a new word.
struct MetaspacePreTokenizer: Sendable {
    /// How the leading `▁` is added.
    enum PrependScheme: String, Sendable, Codable {
        case always, first, never
    }

    var replacement: UInt32
    var prependScheme: PrependScheme
    var split: Bool

    func preTokenize(_ text: inout PreTokenizedText) {
        var pieces: [Range<Int>] = []
        text.rewriteSplits { split, output in
            var normalized = split
            var spaces: [Range<Int>] = []
            for (i, c) in normalized.scalars.enumerated() where c == 0x20 { spaces.append(i..<(i + 1)) }
            normalized.replace(spaces, with: [replacement])
            let startsWithReplacement = normalized.scalars.first == replacement
            switch prependScheme {
            case .always:
                if !startsWithReplacement { normalized.prepend([replacement]) }
            case .first:
                if !startsWithReplacement && normalized.originalStart == 0 { normalized.prepend([replacement]) }
            case .never:
                break
            }
            if self.split {
                pieces.removeAll(keepingCapacity: true)
                normalized.scalars.withUnsafeBufferPointer { scalars in
                    PatternSplitter.split(scalars, behavior: .mergedWithNext, into: &pieces) { $0 == replacement }
                }
                output.append(pieces: pieces, of: normalized)
            } else {
                output.append(normalized)
            }
        }
    }
}
