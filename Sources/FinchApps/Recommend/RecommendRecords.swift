import Foundation

/// A catalogue item as stored: what `PUT /v1/items/{id}` was given, and the
/// text embedding computed for it (nil without text or embedder).
public struct RecommendItemRecord: Sendable, Equatable {
    /// External item id.
    public var id: String
    /// Display title ("" when none was given or the item was created by an event).
    public var title: String
    /// The description the text embedding is computed from ("" when none).
    public var text: String
    /// Categories, for filters, fallbacks and reasons.
    public var categories: [String]
    /// Free-form attributes (string → string).
    public var attributes: [String: String]
    /// False hides the item from every list.
    public var available: Bool
    /// The embedding of `text` by the deployment's embedder, when computed.
    public var embedding: [Float]?
    /// When it was written.
    public var updatedAt: Date

    /// Creates an item record.
    public init(
        id: String, title: String = "", text: String = "", categories: [String] = [], attributes: [String: String] = [:],
        available: Bool = true, embedding: [Float]? = nil, updatedAt: Date = Date()
    ) {
        self.id = id
        self.title = title
        self.text = text
        self.categories = categories
        self.attributes = attributes
        self.available = available
        self.embedding = embedding
        self.updatedAt = updatedAt
    }
}

extension RecommendItemRecord {
    /// True for a row an event created (no title, text, categories or
    /// attributes, available): it adds nothing to a catalogue entry the
    /// served model already has.
    public var isPlaceholder: Bool {
        title.isEmpty && text.isEmpty && categories.isEmpty && attributes.isEmpty && available && embedding == nil
    }
}

/// An end user as stored: the attributes they (or the operator) gave.
public struct RecommendUserRecord: Sendable, Equatable {
    /// External user id.
    public var id: String
    /// Attributes (string → string; stored texts pass the redactor).
    public var attributes: [String: String]
    /// When it was written.
    public var updatedAt: Date

    /// Creates a user record.
    public init(id: String, attributes: [String: String] = [:], updatedAt: Date = Date()) {
        self.id = id
        self.attributes = attributes
        self.updatedAt = updatedAt
    }
}

/// One stored event. `sequence` is the store's order of acknowledgement
/// (1, 2, …; 0 before it is stored); `eventID` is the client's optional id,
/// which makes a retried batch idempotent.
public struct RecommendEventRecord: Sendable, Equatable {
    /// The store's position (0 for an event not yet stored).
    public var sequence: Int64
    /// The client's event id, unique when given.
    public var eventID: String?
    /// External user id.
    public var user: String
    /// External item id.
    public var item: String
    /// Event type (`rating`, `view`, …, as the deployment configures).
    public var type: String
    /// The rating, or a multiplier of the type's weight.
    public var value: Double
    /// Seconds since 1970 (as the client says).
    public var time: Double

    /// Creates an event record.
    public init(sequence: Int64 = 0, eventID: String? = nil, user: String, item: String, type: String, value: Double, time: Double) {
        self.sequence = sequence
        self.eventID = eventID
        self.user = user
        self.item = item
        self.type = type
        self.value = value
        self.time = time
    }
}

/// What appending a batch of events did.
public struct EventAppendResult: Sendable, Equatable {
    /// The events stored now, with their sequence numbers, in batch order.
    public var stored: [RecommendEventRecord]
    /// Batch positions whose event id was already stored (or repeated in the batch): skipped.
    public var duplicates: [Int]
    /// Users that had no row before, created by this batch (in order of appearance).
    public var createdUsers: [String]
    /// Items that had no row before, created by this batch (in order of appearance).
    public var createdItems: [String]

    /// Creates a result.
    public init(stored: [RecommendEventRecord], duplicates: [Int], createdUsers: [String], createdItems: [String]) {
        self.stored = stored
        self.duplicates = duplicates
        self.createdUsers = createdUsers
        self.createdItems = createdItems
    }
}

/// Items, users and events of the recommendation service in the store.
/// Every write is one transaction and returns after its commit
/// (acknowledged means durable).
public protocol RecommendEventRepository: Sendable {
    /// Inserts or replaces an item.
    func putItem(_ item: RecommendItemRecord) async throws
    /// Deletes an item (its events stay); false when absent.
    func deleteItem(id: String) async throws -> Bool
    /// The item, or nil.
    func item(id: String) async throws -> RecommendItemRecord?
    /// Every item, by id.
    func allItems() async throws -> [RecommendItemRecord]
    /// Inserts or replaces a user's attributes.
    func putUser(_ user: RecommendUserRecord) async throws
    /// The user, or nil.
    func user(id: String) async throws -> RecommendUserRecord?
    /// Stores `events` in one transaction: an event whose `eventID` is already
    /// stored (or repeats an earlier one of the batch) is skipped; users and
    /// items without a row get one (attributes empty, item available).
    func appendEvents(_ events: [RecommendEventRecord], at date: Date) async throws -> EventAppendResult
    /// The events with a sequence above `sequence`, in sequence order.
    func events(after sequence: Int64) async throws -> [RecommendEventRecord]
    /// The user's events in sequence order.
    func events(user: String) async throws -> [RecommendEventRecord]
    /// The largest sequence stored (0 when none).
    func lastEventSequence() async throws -> Int64
    /// Deletes the user's events and row in one transaction; returns how many records went (events + the row).
    func eraseUser(_ id: String) async throws -> Int
}
