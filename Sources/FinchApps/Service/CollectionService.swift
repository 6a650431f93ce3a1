import FinchTensor
import Foundation
import Synchronization

/// Why a collection request failed.
public enum CollectionError: Error, Equatable, CustomStringConvertible {
    case unknownCollection(name: String)
    case unknownEntry(collection: String, id: String)
    /// A name with characters outside [A-Za-z0-9._-] or longer than 64.
    case invalidName(String)
    /// The collection holds vectors of `stored` values, its model now gives `model`
    /// (another version was activated): replace the collection to re-embed it.
    case dimensionMismatch(collection: String, stored: Int, model: Int)

    public var description: String {
        switch self {
        case .unknownCollection(let name): "no collection named \"\(name)\""
        case .unknownEntry(let collection, let id): "collection \"\(collection)\" has no entry \"\(id)\""
        case .invalidName(let name): "collection name \"\(name)\" must be 1–64 characters of A-Z a-z 0-9 . _ -"
        case .dimensionMismatch(let collection, let stored, let model):
            "collection \"\(collection)\" holds vectors of \(stored) values but its model now gives \(model); "
                + "replace the collection (PUT) and add its entries again"
        }
    }
}

/// Named collections of texts for semantic search. Entries and their vectors
/// live in the store (a write returns after its commit); each instance keeps
/// an in-memory index per collection, built from the store at start and
/// rebuilt when the store's change stamp moves (writes by another instance).
public final class CollectionService: Sendable {
    struct Loaded {
        var record: CollectionRecord
        var entries: [CollectionEntryRecord]
        var index: SemanticIndex?
    }

    private let store: any CollectionRepository
    private let registry: ModelRegistry
    private let loaded = Mutex<[String: Loaded]>([:])
    private let stamp = Mutex<Int64>(-1)
    private let writes = AsyncLock()

    public init(store: any CollectionRepository, registry: ModelRegistry) {
        self.store = store
        self.registry = registry
    }

    /// Reads every collection from the store when its change stamp moved since the last read.
    public func reloadIfChanged() async throws {
        let current = try await store.changeStamp()
        if stamp.withLock({ $0 }) == current { return }
        try await reload()
    }

    /// Reads every collection and its entries from the store.
    public func reload() async throws {
        let current = try await store.changeStamp()
        var fresh: [String: Loaded] = [:]
        for record in try await store.allCollections() {
            fresh[record.name] = Loaded(record: record, entries: try await store.entries(collection: record.name), index: nil)
        }
        loaded.withLock { $0 = fresh }
        stamp.withLock { $0 = current }
    }

    /// Every collection with its entry count.
    public func list() -> [(record: CollectionRecord, count: Int)] {
        loaded.withLock { $0.values.map { ($0.record, $0.entries.count) }.sorted { $0.record.name < $1.record.name } }
    }

    /// The collection and its entry count.
    public func collection(named name: String) throws(CollectionError) -> (record: CollectionRecord, count: Int) {
        guard let c = loaded.withLock({ $0[name] }) else { throw .unknownCollection(name: name) }
        return (c.record, c.entries.count)
    }

    /// The entries of a collection, in insertion order.
    public func entries(of name: String) throws(CollectionError) -> [CollectionEntryRecord] {
        guard let c = loaded.withLock({ $0[name] }) else { throw .unknownCollection(name: name) }
        return c.entries
    }

    /// Creates (or empties and replaces) a collection searched with embedder `model`.
    public func put(name: String, model: String) async throws -> CollectionRecord {
        guard ModelRegistry.isValidName(name) else { throw CollectionError.invalidName(name) }
        let served = try registry.model(named: model)
        guard served.kind == .embedder else { throw RegistryError.wrongKind(name: model, kind: served.kind, expected: "an embedder") }
        let record = CollectionRecord(name: name, model: model, createdAt: Date())
        try await writes.run {
            try await store.putCollection(record)
            loaded.withLock { $0[name] = Loaded(record: record, entries: [], index: nil) }
        }
        return record
    }

    /// Deletes a collection.
    public func delete(name: String) async throws {
        try await writes.run {
            guard try await store.deleteCollection(name: name) else { throw CollectionError.unknownCollection(name: name) }
            _ = loaded.withLock { $0.removeValue(forKey: name) }
        }
    }

    /// Embeds and stores entries (replacing those with the same id); returns after the commit.
    public func upsert(_ items: [(id: String, text: String)], into name: String) async throws -> InferenceResult<Int> {
        try await reloadIfUnknown(name)
        let record = try collection(named: name).record
        let model = try registry.model(named: record.model)
        let embedded = try await InferenceService.embed(items.map(\.text), model: model, normalize: true)
        let entries = zip(items, embedded.value).map { CollectionEntryRecord(id: $0.0.id, text: $0.0.text, vector: $0.1) }
        if let stored = try self.entries(of: name).first?.vector.count, let given = entries.first?.vector.count, stored != given {
            throw CollectionError.dimensionMismatch(collection: name, stored: stored, model: given)
        }
        try await writes.run {
            try await store.upsertEntries(entries, collection: name)
            loaded.withLock { all in
                guard var c = all[name] else { return }
                var position: [String: Int] = [:]
                for (i, e) in c.entries.enumerated() { position[e.id] = i }
                for e in entries {
                    if let i = position[e.id] {
                        c.entries[i] = e
                    } else {
                        position[e.id] = c.entries.count
                        c.entries.append(e)
                    }
                }
                c.index = nil
                all[name] = c
            }
        }
        return InferenceResult(value: entries.count, truncated: embedded.truncated, timing: embedded.timing, tokens: embedded.tokens)
    }

    /// Removes one entry.
    public func deleteEntry(id: String, from name: String) async throws {
        try await reloadIfUnknown(name)
        _ = try collection(named: name)
        try await writes.run {
            guard try await store.deleteEntry(id: id, collection: name) else {
                throw CollectionError.unknownEntry(collection: name, id: id)
            }
            loaded.withLock { all in
                all[name]?.entries.removeAll { $0.id == id }
                all[name]?.index = nil
            }
        }
    }

    /// The `topK` entries closest to `query`, best first.
    public func search(_ query: String, in name: String, topK: Int) async throws -> InferenceResult<[SearchHit]> {
        try await reloadIfUnknown(name)
        let record = try collection(named: name).record
        let model = try registry.model(named: record.model)
        let embedded = try await InferenceService.embed([query], model: model, normalize: true)
        let index = try self.index(of: name)
        if let index, index.dimension != embedded.value[0].count {
            throw CollectionError.dimensionMismatch(collection: name, stored: index.dimension, model: embedded.value[0].count)
        }
        let hits = index.map { $0.search(Tensor(embedded.value[0]), topK: topK) } ?? []
        return InferenceResult(value: hits, truncated: embedded.truncated, timing: embedded.timing, tokens: embedded.tokens)
    }

    /// The collection's index, built once per change (nil when it is empty).
    private func index(of name: String) throws(CollectionError) -> SemanticIndex? {
        let result: SemanticIndex?? = loaded.withLock { all in
            guard var c = all[name] else { return .none }
            if let index = c.index { return .some(index) }
            guard let d = c.entries.first?.vector.count, d > 0 else { return .some(nil) }
            let vectors = Tensor(
                shape: [c.entries.count, d],
                values: c.entries.flatMap { $0.vector.count == d ? $0.vector : [Float](repeating: 0, count: d) })
            let index = SemanticIndex(entries: c.entries.map { CorpusEntry(id: $0.id, text: $0.text) }, vectors: vectors)
            c.index = index
            all[name] = c
            return .some(index)
        }
        guard let found = result else { throw .unknownCollection(name: name) }
        return found
    }
}
