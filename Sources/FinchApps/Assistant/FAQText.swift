/// What a searchable text of an entry is.
public enum FAQTextKind: String, Codable, Sendable {
    case question, alternative, answer
}

/// One searchable text of an FAQ: an entry's question, one of its alternative
/// phrasings, or one of its answers. Both retrievers score texts and give an
/// entry the best score of its texts.
public struct FAQText: Codable, Sendable, Equatable {
    /// The position of the entry in its collection.
    public var entry: Int
    /// Which of the entry's texts this is.
    public var kind: FAQTextKind
    /// The text.
    public var text: String

    /// A text of entry `entry`.
    public init(entry: Int, kind: FAQTextKind, text: String) {
        self.entry = entry
        self.kind = kind
        self.text = text
    }

    /// The searchable texts of `collection`, entry by entry: the question,
    /// the alternatives, then (when `answers`) the answers.
    public static func texts(of collection: FAQCollection, answers: Bool) -> [FAQText] {
        var out: [FAQText] = []
        for (i, e) in collection.entries.enumerated() {
            out.append(FAQText(entry: i, kind: .question, text: e.question))
            for a in e.alternatives { out.append(FAQText(entry: i, kind: .alternative, text: a)) }
            if answers { for a in e.answers { out.append(FAQText(entry: i, kind: .answer, text: a)) } }
        }
        return out
    }
}
