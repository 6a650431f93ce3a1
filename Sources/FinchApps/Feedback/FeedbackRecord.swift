import Foundation

/// What a piece of feedback corrects.
public enum FeedbackKind: String, Codable, Sendable, CaseIterable {
    /// The right label of a text for a classifier.
    case classification
    /// The right entity spans of a text for a tagger.
    case entities
    /// The right FAQ entry for an assistant query (or none of them).
    case answer
}

/// One entity span of a text: `[start, end)` in Unicode scalars, and its type (`PER`, `LOC`, …).
public struct FeedbackSpan: Codable, Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int
    public var type: String

    public init(start: Int, end: Int, type: String) {
        self.start = start
        self.end = end
        self.type = type
    }
}

/// One stored correction: what it is about, the (redacted) input, the right
/// answer, who gave it (the API key's id, and the end user when named) and when.
public struct FeedbackRecord: Sendable, Equatable {
    /// A random identifier.
    public var id: String
    public var kind: FeedbackKind
    /// The model corrected (classification, entities).
    public var model: String?
    /// The assistant collection corrected (answer).
    public var collection: String?
    /// The text or query as stored: after PII redaction, and nil when the
    /// user's consent keeps no texts for training.
    public var input: String?
    /// Classification: the right label.
    public var label: String?
    /// Entities: the right spans (offsets into `input`).
    public var entities: [FeedbackSpan]?
    /// Answer: the right entry's id; nil means none of the entries answers it.
    public var entry: String?
    /// The end user the feedback is about or from, when the client named one.
    public var user: String?
    /// The API key that sent it.
    public var keyID: String
    public var createdAt: Date

    public init(
        id: String, kind: FeedbackKind, model: String?, collection: String?, input: String?, label: String?,
        entities: [FeedbackSpan]?, entry: String?, user: String?, keyID: String, createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.model = model
        self.collection = collection
        self.input = input
        self.label = label
        self.entities = entities
        self.entry = entry
        self.user = user
        self.keyID = keyID
        self.createdAt = createdAt
    }
}

extension FeedbackRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case id, kind, model, collection, input, label, entities, entry, user
        case keyID = "key_id", createdAt = "created_at"
    }

    /// Every key is written (null when empty), so every record has one shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(model, forKey: .model)
        try c.encode(collection, forKey: .collection)
        try c.encode(input, forKey: .input)
        try c.encode(label, forKey: .label)
        try c.encode(entities, forKey: .entities)
        try c.encode(entry, forKey: .entry)
        try c.encode(user, forKey: .user)
        try c.encode(keyID, forKey: .keyID)
        try c.encode(createdAt, forKey: .createdAt)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), kind: try c.decode(FeedbackKind.self, forKey: .kind),
            model: try c.decodeIfPresent(String.self, forKey: .model),
            collection: try c.decodeIfPresent(String.self, forKey: .collection),
            input: try c.decodeIfPresent(String.self, forKey: .input), label: try c.decodeIfPresent(String.self, forKey: .label),
            entities: try c.decodeIfPresent([FeedbackSpan].self, forKey: .entities),
            entry: try c.decodeIfPresent(String.self, forKey: .entry), user: try c.decodeIfPresent(String.self, forKey: .user),
            keyID: try c.decode(String.self, forKey: .keyID), createdAt: try c.decode(Date.self, forKey: .createdAt))
    }
}

/// Which feedback to list: every filter that is set must match.
public struct FeedbackQuery: Sendable, Equatable {
    public var model: String?
    public var collection: String?
    /// Only the newest this many (nil: all).
    public var limit: Int?

    public init(model: String? = nil, collection: String? = nil, limit: Int? = nil) {
        self.model = model
        self.collection = collection
        self.limit = limit
    }

    /// Whether `record` passes the filters (limit aside).
    public func matches(_ record: FeedbackRecord) -> Bool {
        (model == nil || record.model == model) && (collection == nil || record.collection == collection)
    }
}

/// Feedback in the store.
public protocol FeedbackRepository: Sendable {
    /// Stores one record; durable (committed) when it returns.
    func insertFeedback(_ record: FeedbackRecord) async throws
    /// The records the query selects, oldest first (with a limit: the newest
    /// `limit` of them, still oldest first).
    func feedback(_ query: FeedbackQuery) async throws -> [FeedbackRecord]
    /// Deletes every record of `user`; returns how many went.
    func eraseFeedback(user: String) async throws -> Int
}
