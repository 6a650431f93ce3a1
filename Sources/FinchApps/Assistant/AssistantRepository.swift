import Foundation

/// A served FAQ collection as stored: which embedder answers it, the prefix
/// written before every text, the vector width, its settings (the hand-off
/// threshold and margin among them) and the confidence model fitted on it.
public struct AssistantCollectionRecord: Codable, Sendable, Equatable {
    /// The collection's name (1–64 characters of A-Z a-z 0-9 . _ -).
    public var name: String
    /// The embedder's name in the model registry.
    public var model: String
    /// Written before every text and query (multilingual-e5 wants `query: `).
    public var prefix: String
    /// Vector width.
    public var dimension: Int
    /// Retrieval, hand-off and calibration settings.
    public var settings: AssistantSettings
    /// The confidence model, refitted at every change of the entries.
    public var calibration: AssistantCalibration
    /// When the collection was imported.
    public var createdAt: Date

    /// A record with every field given.
    public init(
        name: String, model: String, prefix: String, dimension: Int, settings: AssistantSettings, calibration: AssistantCalibration,
        createdAt: Date
    ) {
        self.name = name
        self.model = model
        self.prefix = prefix
        self.dimension = dimension
        self.settings = settings
        self.calibration = calibration
        self.createdAt = createdAt
    }
}

/// One FAQ entry as stored, with the vectors of its searchable texts.
public struct AssistantEntryRecord: Sendable, Equatable {
    /// The entry.
    public var entry: FAQEntry
    /// [texts × dimension]: one unit vector per text of `FAQText.texts(of:answers:)` for this entry
    /// (the question, the alternatives, then — when answers are indexed — the answers).
    public var vectors: [Float]

    /// An entry with its texts' vectors.
    public init(entry: FAQEntry, vectors: [Float]) {
        self.entry = entry
        self.vectors = vectors
    }
}

/// One question asked of a collection, as stored: the conversation of a
/// session is its asks in order; an ask handed off is an open hand-off until
/// a person resolves it with their answer.
public struct AssistantAskRecord: Codable, Sendable, Equatable {
    /// A random id (the hand-off's id when handed off).
    public var id: String
    /// The collection asked.
    public var collection: String
    /// The caller's conversation id.
    public var session: String
    /// The end user, when the caller named one (erasure finds their asks by it).
    public var user: String?
    /// The query after the stored-text redaction; nil when the user does not allow keeping texts.
    public var query: String?
    /// The entry answered with (the top entry; nil when nothing matched).
    public var entry: String?
    /// Every entry shown: the top entry, then the alternatives.
    public var shown: [String]
    /// Calibrated probability that the top entry was right.
    public var confidence: Double
    /// Whether the ask went to a person.
    public var handoff: Bool
    /// Why, when it did.
    public var reason: String?
    /// Milliseconds from the request's arrival to its answer (embedding and retrieval).
    public var latencyMilliseconds: Double
    /// When it was asked.
    public var createdAt: Date
    /// The answer a person gave to a hand-off.
    public var resolution: String?
    /// When the person answered.
    public var resolvedAt: Date?

    /// An ask with every field given.
    public init(
        id: String, collection: String, session: String, user: String?, query: String?, entry: String?, shown: [String],
        confidence: Double, handoff: Bool, reason: String?, latencyMilliseconds: Double, createdAt: Date,
        resolution: String? = nil, resolvedAt: Date? = nil
    ) {
        self.id = id
        self.collection = collection
        self.session = session
        self.user = user
        self.query = query
        self.entry = entry
        self.shown = shown
        self.confidence = confidence
        self.handoff = handoff
        self.reason = reason
        self.latencyMilliseconds = latencyMilliseconds
        self.createdAt = createdAt
        self.resolution = resolution
        self.resolvedAt = resolvedAt
    }
}

/// Assistant collections, their entries and the asks made of them, in the
/// store. Every write is one transaction, durable when it returns.
public protocol AssistantRepository: Sendable {
    /// Creates or replaces a collection with all its entries (a replaced
    /// collection loses its old entries; its asks stay).
    func putAssistantCollection(_ record: AssistantCollectionRecord, entries: [AssistantEntryRecord]) async throws
    /// Inserts or replaces `upserting` (by entry id; a replaced entry keeps its
    /// position, a new one goes last), removes the entries with ids in
    /// `deleting`, and stores `record` (its refitted calibration), together.
    /// False (and nothing changed) when the collection does not exist.
    func changeAssistantEntries(_ record: AssistantCollectionRecord, upserting: [AssistantEntryRecord], deleting: [String]) async throws
        -> Bool
    /// Replaces the stored record of an existing collection (its settings); false when absent.
    func updateAssistantCollection(_ record: AssistantCollectionRecord) async throws -> Bool
    /// Deletes a collection, its entries and its asks; false when absent.
    func deleteAssistantCollection(name: String) async throws -> Bool
    /// Every collection, by name.
    func assistantCollections() async throws -> [AssistantCollectionRecord]
    /// A collection's entries in their order.
    func assistantEntries(collection: String) async throws -> [AssistantEntryRecord]
    /// A number that changes whenever an assistant collection or entry changes.
    func assistantChangeStamp() async throws -> Int64
    /// Stores one ask.
    func insertAsk(_ ask: AssistantAskRecord) async throws
    /// The asks of one session of a collection, oldest first.
    func asks(collection: String, session: String) async throws -> [AssistantAskRecord]
    /// The hand-offs of a collection not yet resolved, oldest first.
    func openHandoffs(collection: String) async throws -> [AssistantAskRecord]
    /// Records a person's answer to an open hand-off; false when there is no
    /// open hand-off `id` in the collection.
    func resolveHandoff(id: String, collection: String, answer: String, at date: Date) async throws -> Bool
    /// Deletes every ask made for `user`; returns how many went.
    func deleteAsks(user: String) async throws -> Int
}

/// How entries travel in a store's text column and its vector blob.
public enum AssistantEntryCoding {
    /// The entry as JSON text.
    public static func encode(_ entry: FAQEntry) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(entry), as: UTF8.self)
    }

    /// The entry of a stored JSON text; nil when it is not one.
    public static func decodeEntry(_ text: String) -> FAQEntry? {
        guard let entry = try? JSONDecoder().decode(FAQEntry.self, from: Data(text.utf8)), !entry.answers.isEmpty else { return nil }
        return entry
    }

    /// Any `Codable` value (settings, calibration, the ids shown) as JSON text.
    public static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A value read back from JSON text; nil when it does not decode.
    public static func value<T: Decodable>(_ type: T.Type, json text: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
