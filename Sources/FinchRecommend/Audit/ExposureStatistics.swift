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
}
