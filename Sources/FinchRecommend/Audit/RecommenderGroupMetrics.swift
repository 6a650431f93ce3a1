/// A recommender's audit figures for one group of users (or for everyone):
/// exposure (coverage, Gini, popularity, long tail) of their top-k lists
/// and accuracy (NDCG@k, recall@k) against their held-out interactions.
public struct RecommenderGroupMetrics: Sendable, Equatable, Codable {
    /// The group's value of the users' column (`"overall"` for everyone).
    public var group: String
    /// Users audited in the group.
    public var users: Int
    /// Distinct items in the group's lists ÷ items in the model's catalogue.
    public var coverage: Double
    /// Gini index of the exposure the group's lists give the catalogue's items (`ExposureStatistics.gini`).
    public var gini: Double
    /// Mean over users of the mean training interactions of the items in their list (Abdollahpouri's ARP).
    public var averagePopularity: Double
    /// Share of list slots holding long-tail items (`ExposureStatistics.head`).
    public var longTailShare: Double
    /// NDCG@k as `RankingAccuracy` computes it.
    public var ndcg: Double
    /// recall@k as `RankingAccuracy` computes it.
    public var recall: Double

    enum CodingKeys: String, CodingKey {
        case group, users, coverage, gini, ndcg, recall
        case averagePopularity = "average_popularity"
        case longTailShare = "long_tail_share"
    }

    /// The figures of `lists` (model item indices, one per user) against
    /// `relevant` (held-out item indices per user; items unknown to the
    /// model carry indices past the catalogue).
    public init(group: String, lists: [[Int]], relevant: [[Int]], popularity: [Int], inHead: [Bool], k: Int) {
        precondition(lists.count == relevant.count)
        self.group = group
        users = lists.count
        var exposure = [Int](repeating: 0, count: popularity.count)
        var slots = 0, tailSlots = 0, popularitySum = 0.0, listsShown = 0
        for list in lists {
            for item in Set(list) { exposure[item] += 1 }
            slots += list.count
            tailSlots += list.filter { !inHead[$0] }.count
            if !list.isEmpty {
                popularitySum += Double(list.map { popularity[$0] }.reduce(0, +)) / Double(list.count)
                listsShown += 1
            }
        }
        let catalogue = popularity.count
        coverage = catalogue == 0 ? 0 : Double(exposure.filter { $0 > 0 }.count) / Double(catalogue)
        gini = ExposureStatistics.gini(exposure)
        averagePopularity = listsShown == 0 ? 0 : popularitySum / Double(listsShown)
        longTailShare = slots == 0 ? 0 : Double(tailSlots) / Double(slots)
        let accuracy = RankingAccuracy(relevant: relevant, recommendations: lists, k: k, catalogueSize: catalogue)
        ndcg = accuracy.ndcg
        recall = accuracy.recall
    }
}
