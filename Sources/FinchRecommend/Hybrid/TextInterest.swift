import Foundation

/// One event of a user's history by dense item index, with its learnt value.
public struct HistoryEntry: Sendable, Equatable {
    /// Dense item index.
    public var item: Int
    /// The learnt value (rating or implicit weight).
    public var value: Float
    /// Event time.
    public var time: Double

    /// Creates an entry.
    public init(item: Int, value: Float, time: Double) {
        self.item = item
        self.value = value
        self.time = time
    }
}

/// A user's text-interest profile: the recency-weighted mean of the unit text
/// embeddings of the items they engaged with positively,
///
///     p_u = Σ_j w_j e_j / |Σ_j w_j e_j|,  w_j = 2^(−(t_last − t_j) / halfLife),
///
/// where t_last is the user's latest positive event. Each item counts once
/// (its latest positive event). The profile is a unit vector.
public struct TextInterest: Sendable, Equatable {
    /// The unit profile vector.
    public var vector: [Float]
    /// The items that make it up with their recency weights, heaviest first.
    public var items: [(item: Int, weight: Float)]

    /// Equal when the vectors and items are.
    public static func == (lhs: TextInterest, rhs: TextInterest) -> Bool {
        lhs.vector == rhs.vector && lhs.items.map(\.item) == rhs.items.map(\.item)
            && lhs.items.map(\.weight) == rhs.items.map(\.weight)
    }

    /// The profile of `history`, or nil when no positive item has text.
    /// - Parameters:
    ///   - isPositive: whether a learnt value counts as liking.
    ///   - halfLife: seconds after which an event weighs half; nil or ≤ 0 weighs all equally.
    public static func profile(
        history: [HistoryEntry], embeddings: ItemTextEmbeddings, halfLife: Double?, isPositive: (Float) -> Bool
    ) -> TextInterest? {
        var latest: [Int: Double] = [:]
        for h in history where isPositive(h.value) && h.item < embeddings.itemCount && embeddings.present[h.item] {
            latest[h.item] = Swift.max(latest[h.item] ?? -.infinity, h.time)
        }
        guard let last = latest.values.max() else { return nil }
        let d = embeddings.dimension
        var sum = [Float](repeating: 0, count: d)
        var items: [(item: Int, weight: Float)] = []
        for (item, time) in latest.sorted(by: { $0.key < $1.key }) {
            var w: Float = 1
            if let halfLife, halfLife > 0 { w = Float(exp2(-(last - time) / halfLife)) }
            items.append((item, w))
            for f in 0..<d { sum[f] += w * embeddings.vectors[item * d + f] }
        }
        var norm: Float = 0
        for v in sum { norm += v * v }
        norm = norm.squareRoot()
        guard norm > 0 else { return nil }
        items.sort { $0.weight > $1.weight || ($0.weight == $1.weight && $0.item < $1.item) }
        return TextInterest(vector: sum.map { $0 / norm }, items: items)
    }
}
