/// One entry of an FAQ collection: a question, the other ways people ask it,
/// and one or more answers (the first is the one shown).
public struct FAQEntry: Codable, Sendable, Equatable {
    /// The caller's id, or `q<line>` from the line the question first appears on.
    public var id: String
    /// The question as written in the FAQ.
    public var question: String
    /// Answers in file order; `answers[0]` is shown.
    public var answers: [String]
    /// The category, when the file gives one.
    public var category: String?
    /// Other phrasings of the question.
    public var alternatives: [String]

    /// An entry; `answers` must not be empty.
    public init(id: String, question: String, answers: [String], category: String? = nil, alternatives: [String] = []) {
        precondition(!answers.isEmpty, "an FAQ entry has at least one answer")
        self.id = id
        self.question = question
        self.answers = answers
        self.category = category
        self.alternatives = alternatives
    }

    /// The answer shown to the person asking.
    public var answer: String { answers[0] }
}

/// The entries of one FAQ, in the order their questions first appear.
public struct FAQCollection: Codable, Sendable, Equatable {
    /// The entries; an entry's position is its index in retrieval results.
    public private(set) var entries: [FAQEntry]

    /// A collection of `entries`, whose ids must be distinct.
    public init(entries: [FAQEntry]) {
        precondition(Set(entries.map(\.id)).count == entries.count, "FAQ entry ids are distinct")
        self.entries = entries
    }

    /// Number of entries.
    public var count: Int { entries.count }

    /// The position of the entry with `id`, else of the entry whose question
    /// (or, failing that, one of whose alternatives) equals `text` after
    /// trimming; nil when none does.
    public func position(matching text: String) -> Int? {
        let key = FAQCollection.normalizedKey(text)
        if let i = entries.firstIndex(where: { $0.id == text }) { return i }
        if let i = entries.firstIndex(where: { FAQCollection.normalizedKey($0.question) == key }) { return i }
        return entries.firstIndex { $0.alternatives.contains { FAQCollection.normalizedKey($0) == key } }
    }

    /// The form under which two questions count as the same: whitespace at the
    /// ends removed, inner runs of whitespace made one space.
    public static func normalizedKey(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
