/// Rankings and their fusion by reciprocal rank (Cormack, Clarke and
/// Büttcher, 2009): an item ranked r (1-based) by a list gains
/// weight / (k + r) from it; k = 60 is the paper's constant.
public enum ReciprocalRankFusion {
    /// Positions of `scores` best first; ties go to the lower position.
    /// Items whose score is not above `floor` are left out.
    public static func ranking(_ scores: [Double], above floor: Double = -.infinity) -> [Int] {
        scores.indices.filter { scores[$0] > floor }.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }

    /// The fused score of each of `count` items: Σ over lists of weight / (k + rank).
    public static func fuse(_ rankings: [[Int]], weights: [Double]? = nil, k: Double = 60, count: Int) -> [Double] {
        precondition(weights == nil || weights!.count == rankings.count, "one weight per ranking")
        var fused = [Double](repeating: 0, count: count)
        for (l, ranking) in rankings.enumerated() {
            let w = weights?[l] ?? 1
            for (r, item) in ranking.enumerated() { fused[item] += w / (k + Double(r + 1)) }
        }
        return fused
    }
}
