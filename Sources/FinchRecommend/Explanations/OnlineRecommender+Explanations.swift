extension OnlineRecommender {
    /// Reasons for recommending item `item` to `user` (external ids), strongest
    /// first, at most `count`.
    /// - Throws: `RecommendError.unknownItem` for an item the model does not have.
    public func explain(user: String, item: String, count: Int = 3) throws -> [ExplanationReason] {
        guard let i = model.items.index(of: item) else { throw RecommendError.unknownItem(item) }
        let entries = self.entries(of: user)
        guard let u = model.users.index(of: user) else { return [] }
        let columns = scorer.features(
            model: model, user: u, history: entries, embeddings: embeddings, popularity: HybridScorer.popularityFeature(popularity),
            isPositive: isPositive)
        return explain(user: u, item: i, columns: columns, history: entries, count: count)
    }

    /// The reasons from the three feature terms: the collaborative term split
    /// over the liked history items that support the item most; the text term
    /// through the liked items whose text is closest to the item's; the
    /// popularity term in the category the user touched most. Only reasons
    /// with a positive contribution are given.
    func explain(user u: Int, item i: Int, columns: UserFeatureColumns, history: [HistoryEntry], count: Int) -> [ExplanationReason] {
        var reasons: [ExplanationReason] = []
        let w = scorer.weights
        var liked: [Int: Float] = [:]
        for h in history where isPositive(h.value) { liked[h.item] = Swift.max(liked[h.item] ?? -.infinity, h.value) }
        // Collaborative: the engine's contributions, restricted to liked items.
        let collaborative = w.term(.collaborative, columns.collaborative[i])
        if collaborative > 0 {
            let support = model.recommender.contributions(user: u, item: i).filter { $0.weight > 0 && liked[$0.item] != nil }
                .prefix(count)
            let total = support.reduce(Float(0)) { $0 + $1.weight }
            for c in support where total > 0 {
                let verb = model.feedback == .explicit ? "rated \(displayName(of: c.item)) highly" : "liked \(displayName(of: c.item))"
                reasons.append(
                    ExplanationReason(
                        kind: .ratedHighly, text: "because you \(verb)", items: [model.items[c.item]], category: nil,
                        contribution: collaborative * c.weight / total))
            }
        }
        // Text: the liked items nearest to the recommended item's text.
        let text = w.term(.text, columns.text[i])
        if text > 0, let interest = columns.interest {
            var scored: [(item: Int, cosine: Float)] = []
            for liked in interest.items where liked.item != i {
                let c = embeddings.cosine(liked.item, i)
                if c > 0 { scored.append((liked.item, c)) }
            }
            scored.sort { (a: (item: Int, cosine: Float), b: (item: Int, cosine: Float)) -> Bool in
                a.cosine > b.cosine || (a.cosine == b.cosine && a.item < b.item)
            }
            let nearest = scored.prefix(2).map(\.item)
            if !nearest.isEmpty {
                let names = nearest.map { displayName(of: $0) }.joined(separator: " and ")
                reasons.append(
                    ExplanationReason(
                        kind: .similarText, text: "similar to what you read about \(names)", items: nearest.map { model.items[$0] },
                        category: nil, contribution: text))
            }
        }
        // Popularity: in the category of the item the user touched most.
        let popular = w.term(.popularity, columns.popularity[i])
        if popular > 0 {
            var touched: [String: Int] = [:]
            for h in history { for c in categories(of: h.item) { touched[c, default: 0] += 1 } }
            let best = categories(of: i).filter { touched[$0] != nil }.max { (touched[$0]!, $1) < (touched[$1]!, $0) }
            if let best {
                let named = Set(history.filter { categories(of: $0.item).contains(best) }.map { model.items[$0.item] })
                reasons.append(
                    ExplanationReason(
                        kind: .popularInCategory, text: "popular in \(best)", items: named.sorted(), category: best, contribution: popular))
            } else {
                reasons.append(
                    ExplanationReason(kind: .popular, text: "popular with everyone", items: [], category: nil, contribution: popular))
            }
        }
        reasons.sort { $0.contribution > $1.contribution }
        return Array(reasons.prefix(count))
    }
}
