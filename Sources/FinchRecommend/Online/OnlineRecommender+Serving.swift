import FinchSupport

/// Which rung of the fallback chain produced a list.
public enum RecommendationSource: String, Sendable, Codable, CaseIterable {
    /// The user's own (folded-in) factors, blended with the hybrid features.
    case personal
    /// Too few events for personal results: the most popular items within the categories the user touched.
    case coldStartUser = "cold_start_user"
    /// Nothing known about the user (or no popular item in their categories): the most popular items.
    case popular
}

/// What to recommend.
public struct RecommendationQuery: Sendable, Equatable {
    /// Items to return (10).
    public var count = 10
    /// Leave out items the user has events on (true).
    public var excludeSeen = true
    /// Only items in this category.
    public var category: String? = nil
    /// Reasons per item (0: none).
    public var reasons = 0

    /// A query for `count` items.
    public init(count: Int = 10, excludeSeen: Bool = true, category: String? = nil, reasons: Int = 0) {
        self.count = count
        self.excludeSeen = excludeSeen
        self.category = category
        self.reasons = reasons
    }
}

/// One recommended item.
public struct ServedItem: Sendable, Equatable {
    /// External item id.
    public var item: String
    /// Ranking score (the blend's logit, or the popularity count for the fallbacks).
    public var score: Float
    /// Reasons, strongest first (empty unless asked for).
    public var reasons: [ExplanationReason]
}

/// A user's list and where it came from.
public struct ServedRecommendations: Sendable, Equatable {
    /// External user id.
    public var user: String
    /// The fallback rung used.
    public var source: RecommendationSource
    /// The items, best first.
    public var items: [ServedItem]
}

extension OnlineRecommender {
    /// The source `user` gets now: personal when the model knows them and
    /// they have events on at least `personalAfter` distinct items; the
    /// cold-start user fallback when they have events; else popular.
    public func source(for user: String) -> RecommendationSource {
        let events = history[user] ?? []
        if let u = model.users.index(of: user), model.recommender.trainingData.knowsUser(u),
            Set(events.map(\.item)).count >= options.personalAfter
        {
            return .personal
        }
        return events.isEmpty ? .popular : .coldStartUser
    }

    /// The top items for `user` (any id; unknown users get popular items),
    /// following the fallback chain personal → cold-start user → popular, with
    /// unavailable items, (optionally) seen items and other categories left out.
    public func recommend(user: String, query: RecommendationQuery = RecommendationQuery()) -> ServedRecommendations {
        let entries = self.entries(of: user)
        let seen = Set(entries.map(\.item))
        let n = model.items.count
        var allowed = [Bool](repeating: false, count: n)
        for i in 0..<n where isServable(i) {
            if query.excludeSeen && seen.contains(i) { continue }
            if let c = query.category, !categories(of: i).contains(c) { continue }
            allowed[i] = true
        }
        let rung = self.source(for: user)
        if rung == .personal, let u = model.users.index(of: user) {
            let columns = scorer.features(
                model: model, user: u, history: entries, embeddings: embeddings,
                popularity: HybridScorer.popularityFeature(popularity), isPositive: isPositive)
            let top = scorer.rank(columns, allowed: allowed, count: query.count)
            let items = top.map { r in
                ServedItem(
                    item: model.items[r.index], score: r.score,
                    reasons: query.reasons > 0
                        ? explain(user: u, item: r.index, columns: columns, history: entries, count: query.reasons) : [])
            }
            return ServedRecommendations(user: user, source: .personal, items: items)
        }
        var scores = popularity
        scores.resize(to: n)
        if rung == .coldStartUser {
            let touched = Set(seen.flatMap { categories(of: $0) })
            var inTouched = allowed
            for i in 0..<n where inTouched[i] && Set(categories(of: i)).isDisjoint(with: touched) { inTouched[i] = false }
            let top = Self.top(scores, allowed: inTouched, count: query.count)
            if !top.isEmpty {
                return ServedRecommendations(
                    user: user, source: .coldStartUser,
                    items: top.map { fallbackItem($0, touched: touched, entries: entries, reasons: query.reasons) })
            }
        }
        let top = Self.top(scores, allowed: allowed, count: query.count)
        return ServedRecommendations(
            user: user, source: .popular, items: top.map { fallbackItem($0, touched: [], entries: entries, reasons: query.reasons) })
    }

    /// Whether a learnt value counts as liking.
    func isPositive(_ value: Float) -> Bool { options.eventWeights.isPositive(value, feedback: model.feedback) }

    /// The `count` best allowed scores.
    static func top(_ scores: [Float], allowed: [Bool], count: Int) -> [RankedIndex] {
        var s = scores
        for i in 0..<s.count where i >= allowed.count || !allowed[i] { s[i] = -.infinity }
        return s.withUnsafeBufferPointer { TopK.largest($0, count: count) }
    }

    private func fallbackItem(_ r: RankedIndex, touched: Set<String>, entries: [HistoryEntry], reasons: Int) -> ServedItem {
        var why: [ExplanationReason] = []
        if reasons > 0 {
            let feature = HybridScorer.popularityFeature(popularity)[r.index]
            if let category = categories(of: r.index).first(where: { touched.contains($0) }) {
                let named = entries.filter { categories(of: $0.item).contains(category) }.map { model.items[$0.item] }
                why.append(
                    ExplanationReason(
                        kind: .popularInCategory, text: "popular in \(category)", items: Array(Set(named)).sorted(), category: category,
                        contribution: feature))
            } else {
                why.append(
                    ExplanationReason(kind: .popular, text: "popular with everyone", items: [], category: nil, contribution: feature))
            }
        }
        return ServedItem(item: model.items[r.index], score: r.score, reasons: why)
    }
}
