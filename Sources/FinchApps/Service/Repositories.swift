import Foundation

/// API keys in the store.
public protocol APIKeyRepository: Sendable {
    /// Stores a new key; durable when it returns.
    func insert(_ key: APIKeyRecord) async throws
    /// The key with this id, revoked or not.
    func key(id: String) async throws -> APIKeyRecord?
    /// Every key, oldest first.
    func allKeys() async throws -> [APIKeyRecord]
    /// Marks the key revoked; false when there is no such key.
    func revoke(id: String, at date: Date) async throws -> Bool
}

/// One registered version of a named model.
public struct ModelVersionRecord: Codable, Sendable, Equatable {
    public var name: String
    /// 1, 2, … per name.
    public var version: Int
    public var kind: ModelKind
    /// The model folder.
    public var path: String
    public var active: Bool
    public var createdAt: Date

    public init(name: String, version: Int, kind: ModelKind, path: String, active: Bool, createdAt: Date) {
        self.name = name
        self.version = version
        self.kind = kind
        self.path = path
        self.active = active
        self.createdAt = createdAt
    }
}

/// Model versions in the store.
public protocol ModelVersionRepository: Sendable {
    /// Adds the next version of `name` (1 for a new name) and returns it; it
    /// becomes the active version when `activate` is true.
    func addVersion(name: String, kind: ModelKind, path: String, activate: Bool, at date: Date) async throws -> ModelVersionRecord
    /// Makes `version` the only active version of `name`; false when it does not exist.
    func activate(name: String, version: Int) async throws -> Bool
    /// Every version of every model, by name then version.
    func allVersions() async throws -> [ModelVersionRecord]
}

/// A named collection of texts searched with one embedder.
public struct CollectionRecord: Codable, Sendable, Equatable {
    public var name: String
    /// The embedder's name.
    public var model: String
    public var createdAt: Date

    public init(name: String, model: String, createdAt: Date) {
        self.name = name
        self.model = model
        self.createdAt = createdAt
    }
}

/// One entry of a collection with its sentence vector.
public struct CollectionEntryRecord: Sendable, Equatable {
    public var id: String
    public var text: String
    public var vector: [Float]

    public init(id: String, text: String, vector: [Float]) {
        self.id = id
        self.text = text
        self.vector = vector
    }
}

/// Collections and their entries in the store.
public protocol CollectionRepository: Sendable {
    /// Creates or replaces a collection (its entries are removed when replaced).
    func putCollection(_ collection: CollectionRecord) async throws
    /// Deletes the collection and its entries; false when absent.
    func deleteCollection(name: String) async throws -> Bool
    func collection(name: String) async throws -> CollectionRecord?
    func allCollections() async throws -> [CollectionRecord]
    /// Inserts or replaces entries (by id), in one transaction.
    func upsertEntries(_ entries: [CollectionEntryRecord], collection: String) async throws
    /// Deletes one entry; false when absent.
    func deleteEntry(id: String, collection: String) async throws -> Bool
    /// Every entry, in insertion order.
    func entries(collection: String) async throws -> [CollectionEntryRecord]
    /// A number that changes whenever any collection or entry changes (for
    /// other instances to notice writes).
    func changeStamp() async throws -> Int64
}

/// The whole store: the repositories of one database.
public protocol ServiceStore: Sendable {
    var keys: any APIKeyRepository { get }
    var models: any ModelVersionRepository { get }
    var collections: any CollectionRepository { get }
    /// Items, users and events of the recommendation service.
    var recommendEvents: any RecommendEventRepository { get }
    /// Audit trail, consent and erasure tombstones (migration 4).
    var privacy: any PrivacyRepository { get }
    /// The support assistant's collections, entries and asks.
    var assistant: any AssistantRepository { get }
    /// Corrections sent through `POST /v1/feedback`.
    var feedback: any FeedbackRepository { get }
    /// Sentiment monitors: documents, buckets, rules, alerts, detector states (migration 6).
    var monitors: any MonitorRepository { get }
    /// The monitors' webhooks and their delivery log (migration 6).
    var webhooks: any WebhookRepository { get }
    /// Throws when the database cannot be reached.
    func ping() async throws
    /// Closes connections.
    func close() async throws
}

/// Vectors as stored: little-endian Float32 bytes.
public enum VectorCoding {
    public static func encode(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for v in vector { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Nil when the byte count is not a multiple of 4.
    public static func decode(_ data: Data) -> [Float]? {
        guard data.count % 4 == 0 else { return nil }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 4).map { i in
            Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
    }
}
