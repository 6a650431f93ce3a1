import FinchRecommend
import FinchTensor
import Foundation

// `RecommendBenchmarks hybrid --ratings CSV --items JSONL --vectors JSONL [--seed S]`
// (run by Benchmarks/run_recommend_hybrid.sh). `--items` lists the items in the order of
// `--vectors` (the output of `finch embed` on their texts). Prints JSON lines:
//   {"table": "ranking", ...}   time-based leave-last-5, implicit top-10: als, itemknn, hybrid, popular
//   {"table": "cold_items", ...} 10 % of items held out of training, placed by the text mapping
//   {"table": "new_users", ...}  10 % of users held out, folded in from their first 5 events vs a full retrain

/// Item ids (in file order) and their text vectors.
func readItemVectors(items: String, vectors: String) throws -> [String: [Float]] {
    func lines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }
    let ids = try lines(items).map { "\($0["item"]!)" }
    let rows = try lines(vectors).map { ($0["embedding"] as! [NSNumber]).map(\.floatValue) }
    precondition(ids.count == rows.count, "\(ids.count) items but \(rows.count) vectors")
    return Dictionary(uniqueKeysWithValues: zip(ids, rows))
}

func rankingRow(_ name: String, _ r: RankingAccuracy, seconds: Double) -> [String: Any] {
    ["table": "ranking", "model": name, "ndcg_at_10": r.ndcg, "recall_at_10": r.recall, "users": r.userCount, "seconds": seconds]
}

func hybrid(_ a: Arguments) throws {
    let implicitData = try readRatings(a.string("ratings", ""), implicit: true)
    let vectors = try readItemVectors(items: a.string("items", ""), vectors: a.string("vectors", ""))
    let seed = UInt64(a.int("seed", 0))
    let als = ["factors": a.string("factors", "64"), "epochs": "15", "seed": String(seed), "reg": a.string("reg", "0.01")]

    // 1. Ranking: ALS, item-KNN, the hybrid over ALS, popularity on one leave-last-5 split.
    var start = ContinuousClock.now
    let comparison = try HybridEvaluation.compare(implicitData, algorithm: .als, parameters: als, embeddings: vectors, testLast: 5, k: 10)
    let hybridSeconds = seconds(ContinuousClock.now - start)
    let split = try Splitter.leaveLastK(implicitData, k: 5)
    start = ContinuousClock.now
    let knn = try Evaluator.evaluate(
        implicitData, algorithm: .itemknn, parameters: ["similarity": "cosine", "ranking": "similarity_sum", "k": "40"],
        splits: [split], metrics: .ranking(k: 10))
    let knnSeconds = seconds(ContinuousClock.now - start)
    emit(rankingRow("als", comparison.collaborative, seconds: hybridSeconds))
    emit(rankingRow("itemknn", knn.meanRanking!, seconds: knnSeconds))
    emit(rankingRow("hybrid(als)", comparison.hybrid, seconds: hybridSeconds))
    emit(rankingRow("popular", comparison.popularity, seconds: 0))
    let w = comparison.weights
    emit([
        "table": "weights", "collaborative": Double(w.weight(.collaborative)), "text": Double(w.weight(.text)),
        "popularity": Double(w.weight(.popularity)),
    ])

    try coldItems(a, vectors: vectors, seed: seed, als: als)
    try newUsers(implicitData, seed: seed, als: als)
}

/// 10 % of the items (seeded) removed from training; SVD (explicit) and ALS
/// (implicit) place them from their text through the ridge mapping.
func coldItems(_ a: Arguments, vectors: [String: [Float]], seed: UInt64, als: [String: String]) throws {
    let explicitData = try readRatings(a.string("ratings", ""), implicit: false)
    var rng = FinchRNG(seed: seed &+ 17)
    var cold = Set<Int>()
    while cold.count < explicitData.items.count / 10 { cold.insert(Int(rng.next() % UInt64(explicitData.items.count))) }
    let train = (0..<explicitData.count).filter { !cold.contains(Int(explicitData.itemIndices[$0])) }
    let test = (0..<explicitData.count).filter { cold.contains(Int(explicitData.itemIndices[$0])) }
    let trainSet = explicitData.selecting(train)
    let features = vectors.filter { id, _ in explicitData.items.index(of: id).map { !cold.contains($0) } ?? false }

    // Explicit: SVD + mapping vs the baseline predictor (μ + b_u, what an unknown item gets).
    var svd = try RecommenderModel.train(trainSet, algorithm: .svd, parameters: ["seed": String(seed)])
    let mapping = try RidgeColdStartMapping.fit(model: svd, features: features, regularization: 1)
    for i in cold.sorted() { try svd.addColdStartItem(explicitData.items[i], features: vectors[explicitData.items[i]]!, mapping: mapping) }
    let baseline = try RecommenderModel.train(trainSet, algorithm: .baseline)
    let s = svd.recommender as! SVDRecommender
    let k = s.configuration.factors
    var mapped: [Float] = [], base: [Float] = [], truth: [Float] = []
    for p in test {
        let u = Int(explicitData.userIndices[p]), id = explicitData.items[Int(explicitData.itemIndices[p])]
        let i = svd.items.index(of: id)!
        var e = s.globalMean + s.itemBias[i]
        if s.trainingData.knowsUser(u) {
            e += s.userBias[u]
            for f in 0..<k { e += s.userFactors[u * k + f] * s.itemFactors[i * k + f] }
        }
        mapped.append(min(5, max(1, e)))
        base.append(baseline.predict(user: explicitData.users[u], item: id).value)
        truth.append(explicitData.values[p])
    }
    emit([
        "table": "cold_items", "metric": "rmse", "items": cold.count, "ratings": test.count,
        "text_mapping_svd": RatingAccuracy(predicted: mapped, actual: truth).rmse,
        "baseline_only": RatingAccuracy(predicted: base, actual: truth).rmse,
    ])

    // Implicit: rank the cold items for each user who has events on them (ALS factors
    // of the user vs mapped item factors), against ranking them by popularity.
    let implicitData = try readRatings(a.string("ratings", ""), implicit: true)
    var alsModel = try RecommenderModel.train(implicitData.selecting(train), algorithm: .als, parameters: als)
    let alsMapping = try RidgeColdStartMapping.fit(model: alsModel, features: features, regularization: 1)
    for i in cold.sorted() {
        try alsModel.addColdStartItem(implicitData.items[i], features: vectors[implicitData.items[i]]!, mapping: alsMapping)
    }
    let r = alsModel.recommender as! ImplicitALSRecommender
    let ka = r.configuration.factors
    let coldIndices = cold.sorted().map { alsModel.items.index(of: implicitData.items[$0])! }
    var relevant = [[Int]](repeating: [], count: implicitData.users.count)
    for p in test {
        relevant[Int(implicitData.userIndices[p])].append(alsModel.items.index(of: implicitData.items[Int(implicitData.itemIndices[p])])!)
    }
    // Popularity of the cold items in the full data: an oracle no live system has at cold start.
    var counts: [Int: Float] = [:]
    for p in test { counts[alsModel.items.index(of: implicitData.items[Int(implicitData.itemIndices[p])])!, default: 0] += 1 }
    let oracle = coldIndices.sorted { (counts[$0] ?? 0, -$0) > (counts[$1] ?? 0, -$1) }.prefix(10)
    var textLists = [[Int]?](repeating: nil, count: implicitData.users.count), popularLists = textLists
    var randomLists = textLists
    var shuffleRNG = FinchRNG(seed: seed &+ 5)
    for u in 0..<implicitData.users.count where !relevant[u].isEmpty && r.trainingData.knowsUser(u) {
        let scored = coldIndices.map { i -> (Int, Float) in
            var d: Float = 0
            for f in 0..<ka { d += r.userFactors[u * ka + f] * r.itemFactors[i * ka + f] }
            return (i, d)
        }
        textLists[u] = scored.sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }.prefix(10).map(\.0)
        popularLists[u] = Array(oracle)
        var shuffled = coldIndices
        for n in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(n, Int(shuffleRNG.next() % UInt64(n + 1))) }
        randomLists[u] = Array(shuffled.prefix(10))
    }
    func ndcg(_ lists: [[Int]?]) -> Double {
        RankingAccuracy(relevant: relevant, recommendations: lists, k: 10, catalogueSize: coldIndices.count).ndcg
    }
    emit([
        "table": "cold_items", "metric": "ndcg_at_10 among the cold items", "items": cold.count,
        "text_mapping_als": ndcg(textLists), "popularity_oracle": ndcg(popularLists), "random": ndcg(randomLists),
    ])
}

/// 10 % of the users with at least 15 events (seeded) are held out; each is
/// folded in from their first 5 events (by time) and ranked on the rest, and
/// compared with a full retrain that includes those 5 events.
func newUsers(_ data: RatingDataset, seed: UInt64, als: [String: String]) throws {
    var byUser = [[Int]](repeating: [], count: data.users.count)
    for p in 0..<data.count { byUser[Int(data.userIndices[p])].append(p) }
    for u in 0..<byUser.count { byUser[u].sort { (data.timestamps![$0], $0) < (data.timestamps![$1], $1) } }
    var rng = FinchRNG(seed: seed &+ 29)
    let eligible = (0..<byUser.count).filter { byUser[$0].count >= 15 }
    var held = Set<Int>()
    while held.count < eligible.count / 10 { held.insert(eligible[Int(rng.next() % UInt64(eligible.count))]) }
    var base: [Int] = [], firstFive: [Int] = [], rest: [Int] = []
    for u in 0..<byUser.count {
        if held.contains(u) {
            firstFive += byUser[u].prefix(5)
            rest += byUser[u].dropFirst(5)
        } else {
            base += byUser[u]
        }
    }
    // Fold-in: the model without the held-out users, then their 5 events through the serving state.
    var start = ContinuousClock.now
    let model = try RecommenderModel.train(data.selecting(base.sorted()), algorithm: .als, parameters: als)
    var options = OnlineOptions()
    options.eventWeights = EventWeights(weights: ["rating": 1])
    options.personalAfter = 1
    var online = try OnlineRecommender(
        model: model, history: InteractionEvent.events(from: data.selecting(base.sorted()), type: "rating"), options: options)
    let trainSeconds = seconds(ContinuousClock.now - start)
    start = ContinuousClock.now
    for u in held.sorted() {
        let events = byUser[u].prefix(5).map {
            InteractionEvent(
                user: data.users[u], item: data.items[Int(data.itemIndices[$0])], type: "rating", value: data.values[$0],
                time: data.timestamps![$0])
        }
        try online.record(Array(events))
    }
    let foldSeconds = seconds(ContinuousClock.now - start)
    var relevant = [[Int]](repeating: [], count: data.users.count)
    for p in rest { relevant[Int(data.userIndices[p])].append(Int(data.itemIndices[p])) }
    var foldLists = [[Int]?](repeating: nil, count: data.users.count)
    for u in held.sorted() {
        foldLists[u] = online.recommend(user: data.users[u], query: RecommendationQuery(count: 10)).items.map {
            data.items.index(of: $0.item)!
        }
    }
    // Full retrain with those 5 events.
    start = ContinuousClock.now
    let full = try RecommenderModel.train(data.selecting((base + firstFive).sorted()), algorithm: .als, parameters: als)
    let retrainSeconds = seconds(ContinuousClock.now - start)
    var fullLists = [[Int]?](repeating: nil, count: data.users.count)
    for u in held.sorted() { fullLists[u] = full.recommender.recommend(user: u, count: 10).map(\.item) }
    let catalogue = data.items.count
    let folded = RankingAccuracy(relevant: relevant, recommendations: foldLists, k: 10, catalogueSize: catalogue)
    let retrained = RankingAccuracy(relevant: relevant, recommendations: fullLists, k: 10, catalogueSize: catalogue)
    emit([
        "table": "new_users", "users": held.count, "fold_in_ndcg_at_10": folded.ndcg, "retrain_ndcg_at_10": retrained.ndcg,
        "ratio": folded.ndcg / max(retrained.ndcg, 1e-12), "fold_in_seconds_all_users": foldSeconds,
        "train_seconds_without_them": trainSeconds, "retrain_seconds": retrainSeconds,
    ])
}
