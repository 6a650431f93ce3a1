import FinchRecommend
import Foundation

/// What `POST /v1/events` did.
public struct EventIngestResult: Sendable, Equatable {
    /// Events stored and folded in now.
    public var accepted: Int
    /// Batch positions skipped because their event id was stored before.
    public var duplicates: [Int]
    /// Users and items created on the fly by this batch.
    public var createdUsers: [String]
    public var createdItems: [String]
    /// Users whose recommendations come from their own factors now.
    public var personalUsers: [String]
}

extension RecommendService {
    /// Checks, stores (one transaction, durable when it returns) and folds in
    /// `events`; unknown users and items are created on the fly. All or
    /// nothing: one refused event refuses the batch before anything is stored.
    /// - Throws: `RecommendServiceError.invalidEvent` naming `events[i].field`.
    public func record(_ events: [RecommendEventRecord]) async throws -> EventIngestResult {
        try await reloadIfVersionChanged()
        // Checked in place: a copy of the model held across the fold-in below would make it copy every array.
        try withState { s in
            for (n, e) in events.enumerated() {
                if e.user.isEmpty { throw RecommendServiceError.invalidEvent(field: "events[\(n)].user", reason: "must not be empty") }
                if e.item.isEmpty { throw RecommendServiceError.invalidEvent(field: "events[\(n)].item", reason: "must not be empty") }
                let event = InteractionEvent(user: e.user, item: e.item, type: e.type, value: Float(e.value), time: e.time)
                if let refusal = RecommendServingState.check(event, model: s.online.model, settings: settings) {
                    throw RecommendServiceError.invalidEvent(field: "events[\(n)].\(refusal.field)", reason: refusal.reason)
                }
            }
        }
        return try await writes.run {
            let appended = try await repository.appendEvents(events, at: Date())
            let users = Array(Set(appended.stored.map(\.user))).sorted()
            let missed = try await eventsMissed(before: appended.stored)
            let personal = try withState { s -> [String] in
                // Events stored by another writer since (another instance) come first, in order.
                _ = try s.apply(missed + appended.stored, settings: settings)
                return users.filter { s.online.source(for: $0) == .personal }
            }
            return EventIngestResult(
                accepted: appended.stored.count, duplicates: appended.duplicates, createdUsers: appended.createdUsers,
                createdItems: appended.createdItems, personalUsers: personal)
        }
    }

    /// Stores an item (its text embedded by the deployment's embedder) and
    /// places it in the serving state: a new item with text is scored by the
    /// cold-start mapping at once.
    /// - Throws: `RecommendServiceError.invalidItem`, registry errors for the embedder.
    public func putItem(_ given: RecommendItemRecord) async throws -> RecommendItemRecord {
        try await reloadIfVersionChanged()
        guard !given.id.isEmpty else { throw RecommendServiceError.invalidItem(field: "id", reason: "must not be empty") }
        var item = given
        item.updatedAt = Date()
        item.embedding = nil
        if !item.text.isEmpty, let embedder = settings.embedder {
            let model = try registry.model(named: embedder)
            item.embedding = try await InferenceService.embed([item.text], model: model, normalize: true).value.first
        }
        let stored = item
        try await writes.run {
            try await repository.putItem(stored)
            try withState { s in
                do {
                    try s.online.upsertItem(
                        CatalogItem(
                            id: stored.id, title: stored.title, categories: stored.categories, isAvailable: stored.available,
                            embedding: stored.embedding))
                } catch RecommendError.featureDimensionMismatch(_, let expected, let actual) {
                    throw RecommendServiceError.invalidItem(
                        field: "text",
                        reason: "the embedder gives \(actual) values but the model's item texts have \(expected); "
                            + "configure the embedder the model was built with")
                }
            }
        }
        return stored
    }

    /// Deletes an item from the store and from every list.
    /// - Throws: `RecommendServiceError.unknownItem`.
    public func deleteItem(id: String) async throws {
        try await writes.run {
            guard try await repository.deleteItem(id: id) else { throw RecommendServiceError.unknownItem(id) }
            try withState { $0.online.removeItem(id) }
        }
    }

    /// Creates or replaces a user's attributes (each value passes the stored-text redactor).
    public func putUser(id: String, attributes: [String: String]) async throws -> RecommendUserRecord {
        guard !id.isEmpty else { throw RecommendServiceError.invalidEvent(field: "id", reason: "must not be empty") }
        var kept: [String: String] = [:]
        for (key, value) in attributes { kept[key] = try storedText.apply(value) }
        let record = RecommendUserRecord(id: id, attributes: kept, updatedAt: Date())
        try await repository.putUser(record)
        return record
    }
}

/// Erasure of a user's recommendation data: their stored events and
/// attributes, and their events, popularity share and learnt row in the
/// serving state. Nobody else's results change.
public struct RecommendUserEraser: UserDataEraser {
    let service: RecommendService

    /// An eraser for `service`.
    public init(service: RecommendService) { self.service = service }

    public var dataName: String { "recommendation events" }

    public func eraseUser(_ user: String) async throws -> Int {
        try await service.writes.run {
            let removed = try await service.repository.eraseUser(user)
            try service.state.withLock { s in if s != nil { try s!.online.deleteUser(user) } }
            return removed
        }
    }
}
