import Foundation

/// Rating-prediction accuracy.
public struct RatingAccuracy: Sendable, Equatable, Codable {
    /// √(mean (r̂ − r)²).
    public var rmse: Double
    /// mean |r̂ − r|.
    public var mae: Double
    /// Number of predictions.
    public var count: Int

    /// RMSE and MAE of `predicted` against `actual` (equal lengths, in Double).
    public init(predicted: [Float], actual: [Float]) {
        precondition(predicted.count == actual.count)
        var squared = 0.0, absolute = 0.0
        for (p, a) in zip(predicted, actual) {
            let d = Double(p) - Double(a)
            squared += d * d
            absolute += Swift.abs(d)
        }
        let n = Double(Swift.max(predicted.count, 1))
        rmse = (squared / n).squareRoot()
        mae = absolute / n
        count = predicted.count
    }

    /// A value from its parts.
    public init(rmse: Double, mae: Double, count: Int) {
        self.rmse = rmse
        self.mae = mae
        self.count = count
    }
}

/// Top-k ranking quality, defined as in Microsoft's recommenders
/// (`recommenders.evaluation.python_evaluation`, 1.2): relevant items are a
/// user's test items; "common users" have both test items and a
/// recommendation list.
///
/// - precision@k = Σ_common hits_u/k ÷ |common|
/// - recall@k = Σ_common hits_u/|relevant_u| ÷ |common|
/// - NDCG@k (binary relevance, ln discount) = Σ_{users with test items}
///   DCG_u/IDCG_u ÷ |users with test items|, DCG_u = Σ_hits 1/ln(1 + rank),
///   IDCG_u = Σ_{r ≤ min(k, |relevant_u|)} 1/ln(1 + r); a user without a list
///   counts 0 (recommenders' outer merge).
/// - MAP@k = Σ_common (Σ_hits (hit number)/rank) / min(|relevant_u|, k) ÷ |common|
/// - hit rate@k = |{common u with ≥ 1 hit}| ÷ |common| (not in recommenders)
/// - coverage = distinct recommended items ÷ distinct training items
///   (recommenders' `catalog_coverage`).
///
/// All are 0 when no list has a hit, as recommenders returns.
public struct RankingAccuracy: Sendable, Equatable, Codable {
    /// The cut-off k.
    public var k: Int
    /// precision@k.
    public var precision: Double
    /// recall@k.
    public var recall: Double
    /// NDCG@k.
    public var ndcg: Double
    /// MAP@k.
    public var map: Double
    /// hit rate@k.
    public var hitRate: Double
    /// Catalogue coverage.
    public var coverage: Double
    /// Number of common users.
    public var userCount: Int

    enum CodingKeys: String, CodingKey {
        case k, precision = "precision_at_k", recall = "recall_at_k", ndcg = "ndcg_at_k", map = "map_at_k"
        case hitRate = "hit_rate", coverage, userCount = "users"
    }

    /// The metrics for `recommendations[u]` (ranked item lists, nil or empty
    /// when the user got none) against `relevant[u]` (test items), both indexed
    /// by user; `catalogueSize` is the number of distinct training items.
    public init(relevant: [[Int]], recommendations: [[Int]?], k: Int, catalogueSize: Int) {
        precondition(relevant.count == recommendations.count)
        self.k = k
        var common = 0, truthUsers = 0, hitUsers = 0
        var precisionSum = 0.0, recallSum = 0.0, ndcgSum = 0.0, mapSum = 0.0
        var recommended = Set<Int>()
        var anyHit = false
        for u in 0..<relevant.count {
            let list = recommendations[u].map { Array($0.prefix(k)) } ?? []
            recommended.formUnion(list)
            let truth = relevant[u]
            if truth.isEmpty { continue }
            truthUsers += 1
            if list.isEmpty { continue }
            common += 1
            let truthSet = Set(truth)
            var hits = 0, dcg = 0.0, precisionSumAtHits = 0.0
            for (r, item) in list.enumerated() where truthSet.contains(item) {
                hits += 1
                dcg += 1 / log(Double(r + 2))
                precisionSumAtHits += Double(hits) / Double(r + 1)
            }
            if hits == 0 { continue }
            anyHit = true
            hitUsers += 1
            var idcg = 0.0
            for r in 0..<Swift.min(k, truthSet.count) { idcg += 1 / log(Double(r + 2)) }
            precisionSum += Double(hits) / Double(k)
            recallSum += Double(hits) / Double(truthSet.count)
            ndcgSum += dcg / idcg
            mapSum += precisionSumAtHits / Double(Swift.min(truthSet.count, k))
        }
        userCount = common
        let c = Double(Swift.max(common, 1))
        precision = anyHit ? precisionSum / c : 0
        recall = anyHit ? recallSum / c : 0
        map = anyHit ? mapSum / c : 0
        hitRate = anyHit ? Double(hitUsers) / c : 0
        ndcg = anyHit ? ndcgSum / Double(Swift.max(truthUsers, 1)) : 0
        coverage = catalogueSize > 0 ? Double(recommended.count) / Double(catalogueSize) : 0
    }
}
