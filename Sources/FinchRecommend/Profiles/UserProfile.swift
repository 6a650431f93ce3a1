/// A category and its share of a user's events.
public struct CategoryShare: Sendable, Equatable, Codable {
    /// The category.
    public var category: String
    /// Share of the user's categorized events (an event on an item with c
    /// categories gives each 1/c); the shares of all categories sum to 1.
    public var share: Float
}

/// An item that defines a user's interests, with its weight.
public struct DefiningItem: Sendable, Equatable, Codable {
    /// External item id.
    public var item: String
    /// Its title (or id).
    public var title: String
    /// Its recency weight in the text-interest profile (or, without text, in
    /// the liked items).
    public var weight: Float
}

/// What the serving model knows about a user, built only from their own
/// events and the catalogue (no attribute the user did not give).
public struct UserProfile: Sendable, Equatable {
    /// External user id.
    public var user: String
    /// Events per type.
    public var eventCounts: [String: Int]
    /// The categories of the items they touched, largest share first.
    public var topCategories: [CategoryShare]
    /// The liked items that define their interests, heaviest first.
    public var definingItems: [DefiningItem]
    /// Their latest events, newest first.
    public var lastEvents: [InteractionEvent]
    /// The fallback rung their recommendations come from now.
    public var source: RecommendationSource
}

extension OnlineRecommender {
    /// The profile of `user` (an empty one for a user without events).
    /// - Parameters:
    ///   - categories: how many top categories.
    ///   - items: how many defining items.
    ///   - events: how many latest events.
    public func profile(user: String, categories: Int = 5, items: Int = 5, events: Int = 10) -> UserProfile {
        let recorded = history[user] ?? []
        var counts: [String: Int] = [:]
        var shares: [String: Float] = [:]
        var categorized: Float = 0
        for r in recorded {
            counts[r.event.type, default: 0] += 1
            let cs = self.categories(of: r.item)
            if cs.isEmpty { continue }
            categorized += 1
            for c in cs { shares[c, default: 0] += 1 / Float(cs.count) }
        }
        let top = shares.map { CategoryShare(category: $0.key, share: $0.value / categorized) }
            .sorted { $0.share > $1.share || ($0.share == $1.share && $0.category < $1.category) }
        let entries = self.entries(of: user)
        var defining: [(item: Int, weight: Float)]
        if let interest = TextInterest.profile(
            history: entries, embeddings: embeddings, halfLife: scorer.halfLife, isPositive: isPositive)
        {
            defining = interest.items
        } else {
            // Without text: liked items, the newest first, weighted as the text profile would weigh them.
            let noText = ItemTextEmbeddings.uniform(itemCount: model.items.count)
            defining =
                TextInterest.profile(history: entries, embeddings: noText, halfLife: scorer.halfLife, isPositive: isPositive)?.items ?? []
        }
        let last = recorded.map(\.event).enumerated().sorted { ($0.element.time, $0.offset) > ($1.element.time, $1.offset) }
            .prefix(events).map(\.element)
        return UserProfile(
            user: user, eventCounts: counts, topCategories: Array(top.prefix(categories)),
            definingItems: defining.prefix(items).map {
                DefiningItem(item: model.items[$0.item], title: displayName(of: $0.item), weight: $0.weight)
            }, lastEvents: Array(last), source: source(for: user))
    }
}

extension ItemTextEmbeddings {
    /// The same one-dimensional vector for every item: a text profile over it
    /// weighs liked items by recency alone.
    static func uniform(itemCount: Int) -> ItemTextEmbeddings {
        var e = ItemTextEmbeddings(itemCount: itemCount, dimension: 1)
        e.vectors = [Float](repeating: 1, count: itemCount)
        e.present = [Bool](repeating: true, count: itemCount)
        return e
    }
}
