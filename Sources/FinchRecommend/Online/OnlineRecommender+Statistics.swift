import FinchTensor

/// The catalogue and coverage picture of a serving recommender (the
/// dashboard's charts): how many users, items and events it holds, how the
/// events spread over the items (the long tail), and how much of the
/// servable catalogue its top-k lists reach for a sample of users.
public struct CatalogueStatistics: Sendable {
    /// Users with at least one event.
    public var users: Int
    /// Items known to the model or in the catalogue.
    public var items: Int
    /// Items that can appear in lists now (a representation, available).
    public var servableItems: Int
    /// Events held (training rows and events folded in since).
    public var events: Int
    /// Items per log-spaced bucket of events per item (`ExposureStatistics.logBuckets`), over `items`.
    public var popularityBuckets: [(lower: Int, upper: Int, items: Int)]
    /// For each fraction asked for: the top items' count and their share of all events (`ExposureStatistics.topShare`).
    public var topShares: [(fraction: Double, items: Int, share: Double)]
    /// The list length.
    public var k: Int
    /// The seed of the user sample.
    public var seed: UInt64
    /// Users whose lists were ranked (at most the sample size asked for).
    public var sampledUsers: Int
    /// Servable items in at least one sampled list.
    public var coveredItems: Int
    /// `coveredItems` ÷ `servableItems` (0 without servable items).
    public var coverage: Double
    /// Gini index of the servable items' exposures in the sampled lists (`ExposureStatistics.gini`).
    public var gini: Double
}

extension OnlineRecommender {
    /// Events per item, over every item known to the model or in the
    /// catalogue (model order, then catalogue-only items by id).
    public func eventsPerItem() -> [(item: String, events: Int)] {
        var counts = [Int](repeating: 0, count: model.items.count)
        for events in history.values { for e in events where e.item < counts.count { counts[e.item] += 1 } }
        var out = model.items.ids.enumerated().map { ($1, counts[$0]) }
        for id in catalog.keys.sorted() where model.items.index(of: id) == nil { out.append((id, 0)) }
        return out
    }

    /// The catalogue and coverage statistics: counts, the popularity
    /// distribution, and the coverage and exposure Gini of the top-`k` lists
    /// (`recommend`, seen items left out, every fallback rung as served) of
    /// at most `sampleSize` users with events, drawn without replacement by
    /// a seeded shuffle (`FinchRNG(seed:)`, Fisher–Yates) of their ids in order.
    public func catalogueStatistics(k: Int = 10, sampleSize: Int = 500, seed: UInt64 = 0, topFractions: [Double] = [0.01, 0.1, 0.2])
        -> CatalogueStatistics
    {
        let perItem = eventsPerItem().map(\.events)
        var users = history.filter { !$0.value.isEmpty }.keys.sorted()
        var rng = FinchRNG(seed: seed)
        if users.count > 1 {
            for i in stride(from: users.count - 1, to: 0, by: -1) { users.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        }
        let sample = users.prefix(Swift.max(0, sampleSize))
        let servableIndices = (0..<model.items.count).filter { isServable($0) }
        var slot = [Int](repeating: -1, count: model.items.count)
        for (n, i) in servableIndices.enumerated() { slot[i] = n }
        var exposure = [Int](repeating: 0, count: servableIndices.count)
        for user in sample {
            let list = recommend(user: user, query: RecommendationQuery(count: k))
            for id in Set(list.items.map(\.item)) {
                if let i = model.items.index(of: id), slot[i] >= 0 { exposure[slot[i]] += 1 }
            }
        }
        let covered = exposure.filter { $0 > 0 }.count
        return CatalogueStatistics(
            users: users.count, items: perItem.count, servableItems: servableIndices.count, events: perItem.reduce(0, +),
            popularityBuckets: ExposureStatistics.logBuckets(popularity: perItem),
            topShares: topFractions.map { f in
                let top = ExposureStatistics.topShare(popularity: perItem, fraction: f)
                return (f, top.items, top.share)
            }, k: k, seed: seed, sampledUsers: sample.count, coveredItems: covered,
            coverage: servableIndices.isEmpty ? 0 : Double(covered) / Double(servableIndices.count),
            gini: ExposureStatistics.gini(exposure))
    }
}
