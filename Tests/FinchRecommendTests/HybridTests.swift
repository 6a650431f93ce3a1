import Foundation
import Testing

@testable import FinchRecommend

/// Hybrid ranking: the logistic blend, its fit on a validation split and the
/// comparison with the collaborative model alone.
@Suite struct HybridTests {
    /// Users read only items of their own topic; each item is read by about
    /// two users, so co-occurrence says little and the topic (the text) says
    /// much. Item embeddings are the topic's one-hot vector plus noise, or,
    /// with `informative: false`, pure noise.
    static func topicData(informative: Bool = true) -> (dataset: RatingDataset, embeddings: [String: [Float]]) {
        var rng = SplitMix(11)
        let topics = 4, itemsPerTopic = 60, users = 120, perUser = 10
        var ratings: [(user: String, item: String, value: Float)] = []
        var times: [Double] = []
        for u in 0..<users {
            let topic = u % topics
            var chosen = Set<Int>()
            while chosen.count < perUser { chosen.insert(Int(rng.next() % UInt64(itemsPerTopic))) }
            for (n, j) in chosen.sorted().enumerated() {
                ratings.append(("u\(u)", "t\(topic)-\(j)", 1))
                times.append(Double(u * 100 + n))
            }
        }
        var embeddings: [String: [Float]] = [:]
        for t in 0..<topics {
            for j in 0..<itemsPerTopic {
                var v = (0..<8).map { _ in 0.3 * rng.normal() }
                if informative { v[t] += 1 }
                embeddings["t\(t)-\(j)"] = v
            }
        }
        return (RatingDataset(ratings: ratings, timestamps: times, feedback: .implicit), embeddings)
    }

    static let parameters = ["factors": "8", "alpha": "10", "reg": "0.1"]

    @Test func theLogisticBlendRecoversKnownCoefficients() {
        var rng = SplitMix(5)
        var features: [Double] = [], labels: [Double] = []
        for _ in 0..<20_000 {
            let a = Double(rng.normal()), b = Double(rng.normal())
            let p = 1 / (1 + exp(-(2 * a - b + 0.5)))
            features += [a, b]
            labels.append(Double(rng.uniform()) < p ? 1 : 0)
        }
        let fit = LogisticBlend.fit(features: features, labels: labels, width: 2, l2: 1e-6)
        #expect(abs(fit.weights[0] - 2) < 0.15 && abs(fit.weights[1] + 1) < 0.1 && abs(fit.intercept - 0.5) < 0.1, "\(fit)")
    }

    @Test func textInterestGetsTheWeightWhereItIsTheSignal() throws {
        let (data, text) = Self.topicData()
        let hybrid = try HybridTrainer.build(data, algorithm: .als, parameters: Self.parameters, embeddings: text)
        let (_, noise) = Self.topicData(informative: false)
        let control = try HybridTrainer.build(data, algorithm: .als, parameters: Self.parameters, embeddings: noise)
        let w = hybrid.scorer.weights, c = control.scorer.weights
        #expect(hybrid.positiveCount > 100 && hybrid.sampleCount > hybrid.positiveCount)
        #expect(w.weight(.text) > 1, "\(w)")
        #expect(w.weight(.text) > w.weight(.collaborative), "\(w)")
        #expect(w.weight(.text) > 3 * abs(c.weight(.text)), "signal \(w) vs noise \(c)")
    }

    @Test func theHybridBeatsTheCollaborativeModelWhereTextIsTheSignal() throws {
        let (data, text) = Self.topicData()
        var options = HybridTrainingOptions()
        options.validationLast = 2
        let result = try HybridEvaluation.compare(
            data, algorithm: .als, parameters: Self.parameters, embeddings: text, testLast: 2, options: options)
        #expect(result.hybrid.userCount == 120 && result.collaborative.userCount == 120)
        #expect(result.hybrid.ndcg > 1.2 * result.collaborative.ndcg, "hybrid \(result.hybrid.ndcg), als \(result.collaborative.ndcg)")
        #expect(result.hybrid.ndcg > result.popularity.ndcg)
        // The collaborative column ranks exactly as the model alone does.
        let split = try LatestEvents.split(data, last: 2)
        let alone = try Evaluator.evaluate(
            data, algorithm: .als, parameters: Self.parameters, splits: [split], metrics: .ranking(k: 10))
        #expect(abs((alone.meanRanking?.ndcg ?? -1) - result.collaborative.ndcg) < 1e-12)
    }

    @Test func theTextProfileIsTheRecencyWeightedMeanOfLikedItems() throws {
        var e = ItemTextEmbeddings(itemCount: 3, dimension: 2)
        try e.set([2, 0], item: 0, id: "a")
        try e.set([0, 3], item: 1, id: "b")
        try e.set([1, 1], item: 2, id: "c")
        let history = [
            HistoryEntry(item: 0, value: 5, time: 0), HistoryEntry(item: 1, value: 5, time: 10), HistoryEntry(item: 2, value: 1, time: 10),
        ]
        let p = try #require(TextInterest.profile(history: history, embeddings: e, halfLife: 10, isPositive: { $0 >= 4 }))
        // Weights: item 0 is one half-life older → 0.5; item 1 → 1; item 2 is not liked.
        let norm = Float(1.25).squareRoot()
        #expect(abs(p.vector[0] - 0.5 / norm) < 1e-6 && abs(p.vector[1] - 1 / norm) < 1e-6)
        #expect(p.items.map(\.item) == [1, 0] && p.items.map(\.weight) == [1, 0.5])
        #expect(TextInterest.profile(history: [history[2]], embeddings: e, halfLife: nil, isPositive: { $0 >= 4 }) == nil)
    }
}
