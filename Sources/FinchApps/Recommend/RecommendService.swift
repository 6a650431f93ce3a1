import FinchRecommend
import Foundation
import Synchronization

/// A list of recommendations as the service answers it.
public struct ServiceRecommendations: Sendable, Equatable {
    /// The list and the fallback rung used.
    public var served: ServedRecommendations
    /// False when the user has not consented to personalization (the list is then the popular one).
    public var personalized: Bool
    /// The model version that ranked it.
    public var version: Int
}

/// A user's profile with the attributes they gave.
public struct ServiceProfile: Sendable, Equatable {
    /// What the serving model knows from their events.
    public var profile: UserProfile
    /// Their stored attributes (nothing inferred).
    public var attributes: [String: String]
}

/// The recommendation service: items, users and events in the store, and the
/// serving state of the active recommender, updated on every event.
///
/// Writes go to the store first (acknowledged means durable), then into the
/// serving state, in the order the store acknowledged them: one writer at a
/// time. Reads rank from the serving state under a lock (a list over 10,000
/// items takes well under a millisecond). When the registry's active version
/// of the model changes (an activation, a retrain), the state is rebuilt from
/// the new version and the stored events it was not trained on.
public final class RecommendService: Sendable {
    /// The deployment's settings.
    public let settings: RecommendSettings
    let repository: any RecommendEventRepository
    let registry: ModelRegistry
    let consent: (any ConsentLookup)?
    let erased: (any ErasureTombstones)?
    let storedText: StoredTextRedaction
    let state = Mutex<RecommendServingState?>(nil)
    let writes = AsyncLock()

    /// A service for `settings.model`; call `load()` before serving.
    public init(
        settings: RecommendSettings, repository: any RecommendEventRepository, registry: ModelRegistry,
        consent: (any ConsentLookup)? = nil, erased: (any ErasureTombstones)? = nil, storedText: StoredTextRedaction = .off
    ) {
        self.settings = settings
        self.repository = repository
        self.registry = registry
        self.consent = consent
        self.erased = erased
        self.storedText = storedText
    }

    /// What a (re)load did.
    public struct LoadReport: Sendable, Equatable {
        /// The version now served.
        public var version: Int
        /// Stored events folded in on top of the version's training data.
        public var foldedEvents: Int
        /// Stored events the deployment no longer accepts (skipped).
        public var skippedEvents: Int
    }

    /// Builds the serving state from the active version of the model and
    /// swaps it in, then folds in the events stored while it was built.
    /// - Throws: `RecommendServiceError.notConfigured` when no such recommender is active.
    @discardableResult
    public func load() async throws -> LoadReport {
        let served: ServedModel
        do { served = try registry.model(named: settings.model) } catch { throw RecommendServiceError.notConfigured(model: settings.model) }
        guard served.kind == .recommender else {
            throw RegistryError.wrongKind(name: served.name, kind: served.kind, expected: "a recommender")
        }
        let items = try await repository.allItems()
        let events = try await repository.events(after: 0)
        // Erased users (tombstones): their stored events are gone; an older model file may still hold their ratings.
        let erasedUsers = try await erased?.erasedUsers(among: Set(events.map(\.user))) ?? []
        var (fresh, folded, skipped) = try RecommendServingState.load(
            path: served.record.path, version: served.version, settings: settings, items: items, events: events, erased: erasedUsers)
        return try await writes.run {
            // Events acknowledged while the state was built.
            let late = try await repository.events(after: fresh.appliedThrough).filter { !erasedUsers.contains($0.user) }
            for user in try await erased?.erasedUsers(among: fresh.online.model.users.ids) ?? [] { try fresh.online.deleteUser(user) }
            let lateSkipped = try fresh.apply(late, settings: settings)
            folded += late.count - lateSkipped
            skipped += lateSkipped
            state.withLock { $0 = fresh }
            return LoadReport(version: served.version, foldedEvents: folded, skippedEvents: skipped)
        }
    }

    /// Rebuilds the state when the registry's active version is not the one served.
    public func reloadIfVersionChanged() async throws {
        let active: ServedModel
        do { active = try registry.model(named: settings.model) } catch {
            return  // no active version yet (the only error `model(named:)` throws): keep serving what is loaded
        }
        if state.withLock({ $0?.version }) != active.version { try await load() }
    }

    /// The version served now (nil before `load`).
    public var servedVersion: Int? { state.withLock { $0?.version } }

    func withState<T>(_ body: (inout RecommendServingState) throws -> T) throws -> T {
        try state.withLock { s in
            guard s != nil else { throw RecommendServiceError.notConfigured(model: settings.model) }
            return try body(&s!)
        }
    }

    // MARK: reads

    /// The top items for `user`: personal when they consented and have
    /// enough events, else the fallbacks (the result says which).
    public func recommend(user: String, query: RecommendationQuery) async throws -> ServiceRecommendations {
        try await reloadIfVersionChanged()
        let personal = try await consent?.consent(user: user).personalization ?? true
        return try withState { s in
            if personal {
                return ServiceRecommendations(served: s.online.recommend(user: user, query: query), personalized: true, version: s.version)
            }
            // No personalization: the list anyone without history gets; nothing of theirs is used.
            var served = s.online.recommend(user: "", query: query)
            served.user = user
            return ServiceRecommendations(served: served, personalized: false, version: s.version)
        }
    }

    /// The items most similar to `item` that can be served now.
    /// - Throws: `RecommendServiceError.unknownItem`.
    public func similar(item: String, count: Int) async throws -> [Recommendation] {
        try await reloadIfVersionChanged()
        return try withState { s in
            do { return try s.online.similar(to: item, count: count) } catch RecommendError.unknownItem {
                throw RecommendServiceError.unknownItem(item)
            }
        }
    }

    /// The user's profile from their events, with the attributes they gave.
    /// - Throws: `RecommendServiceError.unknownUser` for a user with neither.
    public func profile(user: String) async throws -> ServiceProfile {
        try await reloadIfVersionChanged()
        let record = try await repository.user(id: user)
        let profile = try withState { $0.online.profile(user: user) }
        guard record != nil || !profile.lastEvents.isEmpty else { throw RecommendServiceError.unknownUser(user) }
        return ServiceProfile(profile: profile, attributes: record?.attributes ?? [:])
    }

    /// The stored item, or the served model's catalogue entry.
    public func item(id: String) async throws -> RecommendItemRecord? {
        let stored = try await repository.item(id: id)
        if let stored, !stored.isPlaceholder { return stored }
        guard let item = state.withLock({ $0?.online.catalog[id] }) else { return stored }
        return RecommendItemRecord(
            id: item.id, title: item.title, categories: item.categories, available: item.isAvailable, embedding: item.embedding)
    }

    /// Every item: the stored ones, and the catalogue the served model came with
    /// (a hybrid's titles and categories) for items never stored; by id.
    public func items() async throws -> [RecommendItemRecord] {
        var byID: [String: RecommendItemRecord] = [:]
        let catalogue = state.withLock { $0?.online.catalog ?? [:] }
        for item in catalogue.values {
            byID[item.id] = RecommendItemRecord(
                id: item.id, title: item.title, categories: item.categories, available: item.isAvailable, embedding: item.embedding)
        }
        for item in try await repository.allItems() where !(item.isPlaceholder && byID[item.id] != nil) { byID[item.id] = item }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// The serving state's catalogue and coverage statistics
    /// (`OnlineRecommender.catalogueStatistics`, seed 0) and the version
    /// they describe. The lists are the model's, consent aside: the figures
    /// describe the model, and only aggregates leave the service.
    /// Ranked on a snapshot, outside the lock.
    public func catalogueStatistics(k: Int, sampleSize: Int) async throws -> (statistics: CatalogueStatistics, version: Int) {
        try await reloadIfVersionChanged()
        // A copy (copy-on-write, cheap) so ranking the sample does not hold the lock readers and writers wait on.
        let (online, version) = try withState { ($0.online, $0.version) }
        return (online.catalogueStatistics(k: k, sampleSize: sampleSize), version)
    }

    /// Whether the item can appear in lists now.
    public func isRecommendable(_ item: String) -> Bool { state.withLock { $0?.online.isRecommendable(item) ?? false } }
}
