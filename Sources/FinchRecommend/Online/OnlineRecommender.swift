/// Settings of an `OnlineRecommender`.
public struct OnlineOptions: Sendable, Equatable {
    /// Distinct items a user needs before they get personal results (3);
    /// fewer → the cold-start user fallback.
    public var personalAfter = 3
    /// Event types, weights and what counts as positive.
    public var eventWeights = EventWeights()

    /// The defaults.
    public init() {}
}

/// What `OnlineRecommender.record` did.
public struct RecordSummary: Sendable, Equatable {
    /// Events recorded.
    public var events: Int
    /// Users that had no events before, in order of appearance.
    public var newUsers: [String]
    /// Items the model did not have before (created on the fly), in order of appearance.
    public var newItems: [String]
}

/// One event as stored: the event, its dense item index and its learnt value.
struct RecordedEvent: Sendable {
    var event: InteractionEvent
    var item: Int
    var value: Float
}

/// The serving state of a recommender: a fitted model that keeps learning
/// between retrainings.
///
/// - A user's events are folded in at once: their row is re-solved from
///   their whole history with the item factors fixed (`RecommenderModel.foldIn`,
///   the engine's fold-in), so a new user is personal after
///   `personalAfter` distinct items.
/// - A new item with a text embedding is placed by the cold-start mapping
///   (text embedding → item factors) and can be recommended at once.
/// - Unavailable items never appear; `excludeSeen` and a category filter narrow the list.
/// - Deleting a user removes their events, popularity counts and learnt row;
///   nobody else's collaborative or text scores change.
///
/// Not thread-safe by itself (a value type): the service wraps it in an actor.
public struct OnlineRecommender: Sendable {
    /// The model, including folded-in users and cold-start items.
    public internal(set) var model: RecommenderModel
    /// The catalogue by item id.
    public internal(set) var catalog: [String: CatalogItem] = [:]
    /// Text embeddings by item index.
    public internal(set) var embeddings: ItemTextEmbeddings
    /// Events per item index (for popularity).
    public internal(set) var popularity: [Float] = []
    /// The ranking blend (`HybridWeights.collaborativeOnly` for a plain model).
    public var scorer: HybridScorer
    /// The cold-start mapping for new items with text, when the model has one.
    public let coldStart: (any ColdStartMapping)?
    /// The settings.
    public let options: OnlineOptions

    var history: [String: [RecordedEvent]] = [:]
    /// Item index → it has a learnt or mapped representation.
    var servable: [Bool] = []
    /// Item index → catalogue entry (nil: not in the catalogue, available, no categories).
    var itemInfo: [CatalogItem?] = []

    /// Serves `model`, whose training events were `history`, with `catalog`.
    /// Catalogue items unknown to the model are placed by `coldStart` when
    /// they have an embedding, else kept until their first event.
    /// - Throws: `RecommendError.unknownUser`/`.unknownItem` for a history event
    ///   outside the model, `.unknownEventType`, or what placing an item throws.
    public init(
        model: RecommenderModel, history: [InteractionEvent], catalog: [CatalogItem] = [], coldStart: (any ColdStartMapping)? = nil,
        scorer: HybridScorer = HybridScorer(weights: .collaborativeOnly), embeddings: ItemTextEmbeddings? = nil,
        options: OnlineOptions = OnlineOptions()
    ) throws {
        self.model = model
        self.coldStart = coldStart
        self.scorer = scorer
        self.options = options
        self.embeddings = embeddings ?? ItemTextEmbeddings(itemCount: model.items.count)
        syncItemArrays()
        let data = model.recommender.trainingData
        for i in 0..<data.itemCount where data.knowsItem(i) || model.coldStartItems.contains(i) { servable[i] = true }
        for event in history {
            guard let i = model.items.index(of: event.item) else { throw RecommendError.unknownItem(event.item) }
            guard model.users.index(of: event.user) != nil else { throw RecommendError.unknownUser(event.user) }
            let value = try options.eventWeights.value(of: event, feedback: model.feedback)
            self.history[event.user, default: []].append(RecordedEvent(event: event, item: i, value: value))
            popularity[i] += 1
        }
        for item in catalog { try upsertItem(item) }
    }

    /// Serves a `HybridModel` (its blend, embeddings and model).
    public init(
        hybrid: HybridModel, history: [InteractionEvent], catalog: [CatalogItem] = [], coldStart: (any ColdStartMapping)? = nil,
        options: OnlineOptions = OnlineOptions()
    ) throws {
        try self.init(
            model: hybrid.model, history: history, catalog: catalog, coldStart: coldStart, scorer: hybrid.scorer,
            embeddings: hybrid.embeddings, options: options)
    }

    /// Grows the per-item arrays to the model's item count.
    mutating func syncItemArrays() {
        let n = model.items.count
        embeddings.grow(to: n)
        popularity.resize(to: n)
        if servable.count < n { servable.append(contentsOf: repeatElement(false, count: n - servable.count)) }
        while itemInfo.count < n { itemInfo.append(catalog[model.items[itemInfo.count]]) }
    }

    /// The events of `user`, oldest first as recorded.
    public func events(of user: String) -> [InteractionEvent] { history[user]?.map(\.event) ?? [] }

    /// The user's history by item index with learnt values.
    func entries(of user: String) -> [HistoryEntry] {
        history[user]?.map { HistoryEntry(item: $0.item, value: $0.value, time: $0.event.time) } ?? []
    }

    /// Records `events` and folds their users in at once (each user's row is
    /// re-solved from their whole history with the items fixed; items met for
    /// the first time are solved from their events). All or nothing: a bad
    /// event changes nothing.
    /// - Throws: `RecommendError.unknownEventType`, `.invalidEvent`,
    ///   `.ratingOutsideScale`, `.diverged`.
    @discardableResult
    public mutating func record(_ events: [InteractionEvent]) throws -> RecordSummary {
        guard !events.isEmpty else { return RecordSummary(events: 0, newUsers: [], newItems: []) }
        let values = try events.map { try options.eventWeights.value(of: $0, feedback: model.feedback) }
        var newUsers: [String] = [], newItems: [String] = []
        var seenUsers = Set<String>(), seenItems = Set<String>()
        for e in events {
            if (history[e.user]?.isEmpty ?? true), seenUsers.insert(e.user).inserted { newUsers.append(e.user) }
            let known = model.items.index(of: e.item).map { $0 < servable.count && servable[$0] } ?? false
            if !known, catalog[e.item] == nil, seenItems.insert(e.item).inserted { newItems.append(e.item) }
        }
        let dataset = RatingDataset(
            ratings: zip(events, values).map { ($0.user, $0.item, $1) }, feedback: model.feedback, ratingScale: model.ratingScale)
        _ = try model.foldIn(dataset)
        syncItemArrays()
        for (e, value) in zip(events, values) {
            let i = model.items.index(of: e.item)!
            history[e.user, default: []].append(RecordedEvent(event: e, item: i, value: value))
            popularity[i] += 1
            servable[i] = true
            if let vector = catalog[e.item]?.embedding, !embeddings.present[i] { try embeddings.set(vector, item: i, id: e.item) }
        }
        return RecordSummary(events: events.count, newUsers: newUsers, newItems: newItems)
    }

    /// Adds or replaces a catalogue item. A new item with an embedding (and a
    /// cold-start mapping) is placed in the model's latent space at once; an
    /// item without ratings whose embedding changed is placed again.
    /// - Throws: `RecommendError.featureDimensionMismatch`, `.unsupported`.
    public mutating func upsertItem(_ item: CatalogItem) throws {
        catalog[item.id] = item
        if let vector = item.embedding, let mapping = coldStart,
            !(model.items.index(of: item.id).map { model.recommender.trainingData.knowsItem($0) } ?? false)
        {
            try model.addColdStartItem(item.id, features: vector, mapping: mapping)
        }
        syncItemArrays()
        if let i = model.items.index(of: item.id) {
            itemInfo[i] = item
            if model.coldStartItems.contains(i) { servable[i] = true }
            if let vector = item.embedding { try embeddings.set(vector, item: i, id: item.id) }
        }
    }

    /// Removes an item from the catalogue and from every list (its events stay
    /// in users' histories until they are deleted).
    public mutating func removeItem(_ id: String) {
        catalog[id] = nil
        if let i = model.items.index(of: id), i < servable.count {
            servable[i] = false
            itemInfo[i] = CatalogItem(id: id, isAvailable: false)
        }
    }

    /// Deletes user `id`: their events, their share of the popularity counts
    /// and their learnt row. Other users' personal scores do not change.
    /// - Returns: the number of events removed.
    @discardableResult
    public mutating func deleteUser(_ id: String) throws -> Int {
        let removed = history.removeValue(forKey: id) ?? []
        for r in removed { popularity[r.item] = Swift.max(0, popularity[r.item] - 1) }
        try model.removeUser(id)
        return removed.count
    }

    /// True when the item exists, has a representation and is available.
    func isServable(_ i: Int) -> Bool {
        i < servable.count && servable[i] && (itemInfo[i]?.isAvailable ?? true)
    }

    /// The item's categories (empty when not in the catalogue).
    func categories(of i: Int) -> [String] { i < itemInfo.count ? itemInfo[i]?.categories ?? [] : [] }

    /// The item's display name.
    func displayName(of i: Int) -> String { (i < itemInfo.count ? itemInfo[i]?.displayName : nil) ?? model.items[i] }
}
