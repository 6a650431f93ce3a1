extension OnlineRecommender {
    /// The `count` items most similar to `item` (the engine's similarity:
    /// item-KNN's matrix or the cosine of item factors), leaving out items
    /// that are unavailable or have no representation.
    /// - Throws: `RecommendError.unknownItem` for an item without ratings or content.
    public func similar(to item: String, count: Int) throws -> [Recommendation] {
        guard let i = model.items.index(of: item), isServable(i) || model.recommender.trainingData.knowsItem(i) else {
            throw RecommendError.unknownItem(item)
        }
        var found: [Recommendation] = []
        var depth = count
        // Ask for more until enough servable items are found or the catalogue is exhausted.
        while true {
            let candidates = model.recommender.similarItems(to: i, count: depth, unratedAllowed: model.coldStartItems)
            found = candidates.filter { isServable($0.item) }.prefix(count).enumerated().map {
                Recommendation(item: model.items[$1.item], score: $1.score, rank: $0 + 1, reasons: [])
            }
            if found.count >= count || candidates.count < depth { return found }
            depth *= 4
        }
    }

    /// True when `item` can appear in lists now: it has a learnt or mapped
    /// representation and is available.
    public func isRecommendable(_ item: String) -> Bool {
        model.items.index(of: item).map(isServable) ?? false
    }

    /// The users with events in the serving state.
    public var usersWithEvents: Int { history.count }
}
