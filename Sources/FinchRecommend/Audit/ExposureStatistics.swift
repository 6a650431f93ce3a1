/// The popularity and exposure figures a recommender audit is made of.
///
/// - Gini index of exposure: items' exposures (how many lists show each
///   item of the catalogue, zeros included) sorted ascending, x₁ ≤ … ≤ xₙ;
///   G = Σⱼ (2j − n − 1) xⱼ ÷ (n Σⱼ xⱼ): 0 when every item is shown equally
///   often, (n − 1)/n when one item takes every slot; 0 when nothing is shown.
/// - Head and long tail: items sorted by training interactions (most first,
///   ties by catalogue order); the head is the shortest prefix holding at
///   least 80 % of all training interactions; every other item, including
///   those never interacted with, is the long tail.
public enum ExposureStatistics {
    /// The share of interactions the head holds.
    public static let headShare = 0.8

    /// The Gini index of `exposures` (see the type's comment).
    public static func gini(_ exposures: [Int]) -> Double {
        let n = exposures.count
        let total = exposures.reduce(0, +)
        guard n > 0, total > 0 else { return 0 }
        let sorted = exposures.sorted()
        var weighted = 0.0
        for (j, x) in sorted.enumerated() { weighted += Double(2 * (j + 1) - n - 1) * Double(x) }
        return weighted / (Double(n) * Double(total))
    }

    /// Which items are in the head, given each item's training interactions.
    public static func head(popularity: [Int]) -> [Bool] {
        let total = popularity.reduce(0, +)
        var inHead = [Bool](repeating: false, count: popularity.count)
        guard total > 0 else { return inHead }
        let order = popularity.indices.sorted { (popularity[$0], -$0) > (popularity[$1], -$1) }
        var cumulative = 0
        for i in order where Double(cumulative) < headShare * Double(total) {
            inHead[i] = true
            cumulative += popularity[i]
        }
        return inHead
    }

    /// The share of all events held by the most popular `fraction` of the
    /// items: items sorted by events (most first), the top ⌈fraction · n⌉
    /// of them (at least one), their events ÷ all events; 0 without events.
    public static func topShare(popularity: [Int], fraction: Double) -> (items: Int, share: Double) {
        let total = popularity.reduce(0, +)
        guard !popularity.isEmpty else { return (0, 0) }
        let count = Swift.min(popularity.count, Swift.max(1, Int((fraction * Double(popularity.count)).rounded(.up))))
        guard total > 0 else { return (count, 0) }
        let top = popularity.sorted(by: >).prefix(count).reduce(0, +)
        return (count, Double(top) / Double(total))
    }

    /// Items per log-spaced bucket of events: bucket 0 holds items with no
    /// event, bucket b ≥ 1 items with 2^(b−1) … 2^b − 1 events (1, 2–3,
    /// 4–7, …), up to the bucket of the most popular item.
    public static func logBuckets(popularity: [Int]) -> [(lower: Int, upper: Int, items: Int)] {
        func bucket(_ x: Int) -> Int { x <= 0 ? 0 : Int.bitWidth - x.leadingZeroBitCount }
        let last = bucket(popularity.max() ?? 0)
        var counts = [Int](repeating: 0, count: last + 1)
        for x in popularity { counts[bucket(x)] += 1 }
        return counts.enumerated().map { b, n in b == 0 ? (0, 0, n) : (1 << (b - 1), (1 << b) - 1, n) }
    }
}
