/// One sentence of a token-classification (NER) file: words and their tags,
/// one tag per word, in IOB2 (`B-PER I-PER O`).
public struct TaggedSentence: Equatable, Hashable, Sendable, Codable {
    /// The words (for Chinese CoNLL files, single characters).
    public var tokens: [String]
    /// One tag per token: `O`, `B-TYPE` or `I-TYPE`.
    public var tags: [String]
    /// The 1-based line of the sentence's first token in its file.
    public var line: Int

    /// A sentence; `tokens.count` must equal `tags.count`. `line` is 0 for
    /// sentences that do not come from a file.
    public init(tokens: [String], tags: [String], line: Int = 0) {
        precondition(tokens.count == tags.count, "\(tokens.count) tokens but \(tags.count) tags")
        self.tokens = tokens
        self.tags = tags
        self.line = line
    }
}

/// How the B-/I- prefixes of a BIO file mark entities.
///
/// - IOB2 (CoNLL-2003 as distributed by Hugging Face, most corpora today):
///   every entity starts with `B-`.
/// - IOB1 (the original CoNLL-2003 files): an entity starts with `I-`; `B-`
///   appears only where an entity directly follows another of the same type.
///
/// Both have the same entities under seqeval's default (conlleval) rules;
/// Finch trains on IOB2, so IOB1 input is rewritten.
public enum TagScheme: String, Sendable, CaseIterable, Codable {
    /// Entities start with `B-`.
    case iob2
    /// Entities start with `I-`; `B-` only between adjacent same-type entities.
    case iob1

    /// The prefix (`B`, `I`) and type (`PER`) of a tag; nil prefix for `O`.
    /// Nil when the tag is neither `O` nor `B-TYPE`/`I-TYPE` with a non-empty
    /// type.
    static func parse(_ tag: String) -> (prefix: Character?, type: Substring)? {
        if tag == "O" { return (nil, "") }
        let u = tag.utf8
        guard u.count > 2, let first = u.first, first == UInt8(ascii: "B") || first == UInt8(ascii: "I"),
            u[u.index(after: u.startIndex)] == UInt8(ascii: "-")
        else { return nil }
        return (Character(Unicode.Scalar(first)), tag.dropFirst(2))
    }

    /// True when tag `i` of `tags` starts an entity with `I-`, which IOB2
    /// forbids: it follows `O`, the sentence start, or a tag of another type.
    static func startsWithInside(_ tags: [String], at i: Int) -> Bool {
        guard let (prefix, type) = parse(tags[i]), prefix == "I" else { return false }
        guard i > 0, let (previousPrefix, previousType) = parse(tags[i - 1]), previousPrefix != nil else {
            return true
        }
        return previousType != type
    }

    /// `tags` rewritten to IOB2: every `I-X` that starts an entity becomes
    /// `B-X`. Valid IOB2 comes back unchanged, so this is safe on either
    /// scheme. Tags must already be valid (`parse` non-nil).
    public static func iob2(from tags: [String]) -> [String] {
        var out = tags
        for i in tags.indices where startsWithInside(tags, at: i) {
            out[i] = "B-" + tags[i].dropFirst(2)
        }
        return out
    }
}
