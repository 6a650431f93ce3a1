import Foundation
import Testing

@testable import FinchRecommend

/// `RecommenderAudit` on a fixture small enough to count by hand.
///
/// Training (implicit, `popular`, so lists are "most-interacted unseen items"):
///   u1: A D · u2: A B C · u3: A B · u4: A B C
///   interactions per item φ: A 4, B 3, C 2, D 1 (10 in all)
/// Head: A (4) then B (7 < 8 = 80 % of 10) then C (9 ≥ 8) → head {A, B, C}, long tail {D}.
/// Lists (k = 2, seen items excluded): u1 [B, C] · u2 [D] · u3 [C, D] · u4 [D]
/// Held out: u1 C · u2 D · u3 E (unknown to the model) · u4 D, F (F unknown) · u9 A (u9 unknown: not audited)
@Suite struct RecommenderAuditTests {
    static func fixture() throws -> (RecommenderModel, RatingDataset) {
        let train: [(user: String, item: String, value: Float)] = [
            ("u1", "A", 1), ("u1", "D", 1), ("u2", "A", 1), ("u2", "B", 1), ("u2", "C", 1), ("u3", "A", 1), ("u3", "B", 1),
            ("u4", "A", 1), ("u4", "B", 1), ("u4", "C", 1),
        ]
        let model = try RecommenderModel.train(RatingDataset(ratings: train, feedback: .implicit), algorithm: .popular)
        let test = RatingDataset(
            ratings: [("u1", "C", 1), ("u2", "D", 1), ("u3", "E", 1), ("u4", "D", 1), ("u4", "F", 1), ("u9", "A", 1)],
            feedback: .implicit)
        return (model, test)
    }

    static let ln2 = log(2.0), ln3 = log(3.0)

    @Test func listsAreTheOnesCountedByHand() throws {
        let (model, _) = try Self.fixture()
        #expect(try model.recommend(user: "u1", count: 2).map(\.item) == ["B", "C"])
        #expect(try model.recommend(user: "u2", count: 2).map(\.item) == ["D"])
        #expect(try model.recommend(user: "u3", count: 2).map(\.item) == ["C", "D"])
        #expect(try model.recommend(user: "u4", count: 2).map(\.item) == ["D"])
    }

    @Test func overallFiguresByHand() throws {
        let (model, test) = try Self.fixture()
        let audit = try RecommenderAudit(model: model, test: test, k: 2)
        #expect(audit.catalogueItems == 4 && audit.headItems == 3 && audit.unknownUsers == 1)
        let o = audit.overall
        #expect(o.users == 4)
        // Exposure A 0, B 1, C 2, D 3: 3 of 4 items shown.
        #expect(o.coverage == 0.75)
        // Gini of [0, 1, 2, 3]: (−3·0 − 1·1 + 1·2 + 3·3) / (4 · 6) = 10/24.
        #expect(abs(o.gini - 10.0 / 24.0) < 1e-12)
        // Mean φ per list: u1 (3+2)/2, u2 1, u3 (2+1)/2, u4 1 → 6/4.
        #expect(abs(o.averagePopularity - 1.5) < 1e-12)
        // 6 slots, D (long tail) in 3.
        #expect(o.longTailShare == 0.5)
        // NDCG@2: u1 C at rank 2 → (1/ln3)/(1/ln2); u2 1; u3 0; u4 D at rank 1 of {D, F} → (1/ln2)/(1/ln2 + 1/ln3).
        let u1 = Self.ln2 / Self.ln3, u4 = (1 / Self.ln2) / (1 / Self.ln2 + 1 / Self.ln3)
        #expect(abs(o.ndcg - (u1 + 1 + 0 + u4) / 4) < 1e-12)
        // recall@2: 1, 1, 0, 1/2.
        #expect(abs(o.recall - 2.5 / 4) < 1e-12)
        #expect(audit.groups.isEmpty && audit.ndcgDifference == 0)
    }

    @Test func perGroupFiguresIncludingAOneMemberGroup() throws {
        let (model, test) = try Self.fixture()
        let audit = try RecommenderAudit(
            model: model, test: test, groups: ["u1": "x", "u2": "x", "u3": "x", "u4": "y"], groupColumn: "band", k: 2)
        try #require(audit.groups.map(\.group) == ["x", "y"])
        let x = audit.groups[0], y = audit.groups[1]
        // x = u1, u2, u3: exposure A 0, B 1, C 2, D 2.
        #expect(x.users == 3 && x.coverage == 0.75)
        #expect(abs(x.gini - 7.0 / 20.0) < 1e-12)  // (−3·0 − 1·1 + 1·2 + 3·2) / (4 · 5)
        #expect(abs(x.averagePopularity - 5.0 / 3.0) < 1e-12)  // (2.5 + 1 + 1.5) / 3
        #expect(abs(x.longTailShare - 2.0 / 5.0) < 1e-12)  // D in 2 of 5 slots
        #expect(abs(x.ndcg - (Self.ln2 / Self.ln3 + 1) / 3) < 1e-12)
        #expect(abs(x.recall - 2.0 / 3.0) < 1e-12)
        // y = u4 alone: only D shown, once.
        #expect(y.users == 1 && y.coverage == 0.25)
        #expect(abs(y.gini - 0.75) < 1e-12)  // [0, 0, 0, 1]: 3·1 / (4 · 1)
        #expect(y.averagePopularity == 1 && y.longTailShare == 1)
        let u4 = (1 / Self.ln2) / (1 / Self.ln2 + 1 / Self.ln3)
        #expect(abs(y.ndcg - u4) < 1e-12 && y.recall == 0.5)
        #expect(abs(audit.ndcgDifference - (u4 - (Self.ln2 / Self.ln3 + 1) / 3)) < 1e-12)
        #expect(abs(audit.recallDifference - (2.0 / 3.0 - 0.5)) < 1e-12)
        #expect(audit.usersWithoutGroup == 0)
        // The JSON round-trips and the report names the column.
        let decoded = try JSONDecoder().decode(RecommenderAudit.self, from: Data(try audit.json().utf8))
        #expect(decoded == audit)
        #expect(audit.report.hasPrefix("Recommender audit of popular by band\n"))
        #expect(audit.report.contains("the 3 most-interacted items that hold 80 % of training interactions"))
    }

    @Test func usersWithoutARowAreCountedApart() throws {
        let (model, test) = try Self.fixture()
        let audit = try RecommenderAudit(model: model, test: test, groups: ["u1": "x"], groupColumn: "band", k: 2)
        #expect(audit.usersWithoutGroup == 3 && audit.groups.map(\.users) == [1] && audit.overall.users == 4)
    }

    @Test func giniAndHeadEdgeCases() {
        #expect(ExposureStatistics.gini([]) == 0 && ExposureStatistics.gini([0, 0]) == 0)
        #expect(ExposureStatistics.gini([2, 2, 2]) == 0)
        #expect(abs(ExposureStatistics.gini([0, 0, 0, 5]) - 0.75) < 1e-12)  // (n − 1)/n
        // 80 % of 10 reached exactly by the first item: the head is that item alone.
        #expect(ExposureStatistics.head(popularity: [8, 1, 1]) == [true, false, false])
        // Ties go by catalogue order.
        #expect(ExposureStatistics.head(popularity: [1, 3, 3, 3]) == [false, true, true, true])
    }

    @Test func topSharesAndLogBuckets() {
        // 19 events over 7 items: 6, 5, 4, 1, 1, 1, 1.
        let popularity = [1, 6, 1, 5, 4, 1, 1]
        #expect(ExposureStatistics.topShare(popularity: popularity, fraction: 0.01) == (1, 6.0 / 19))  // ⌈0.07⌉ = 1 item
        #expect(ExposureStatistics.topShare(popularity: popularity, fraction: 0.2) == (2, 11.0 / 19))  // ⌈1.4⌉ = 2 items
        #expect(ExposureStatistics.topShare(popularity: [0, 0], fraction: 0.5) == (1, 0))
        #expect(ExposureStatistics.topShare(popularity: [], fraction: 0.5) == (0, 0))
        let buckets = ExposureStatistics.logBuckets(popularity: popularity + [0, 2, 3, 8]).map { [$0.lower, $0.upper, $0.items] }
        #expect(buckets == [[0, 0, 1], [1, 1, 4], [2, 3, 2], [4, 7, 3], [8, 15, 1]])
        #expect(ExposureStatistics.logBuckets(popularity: []).map { [$0.lower, $0.upper, $0.items] } == [[0, 0, 0]])
    }

    @Test func noKnownUserIsAnError() throws {
        let (model, _) = try Self.fixture()
        let test = RatingDataset(ratings: [("stranger", "A", 1)], feedback: .implicit)
        #expect(throws: RecommendError.self) { try RecommenderAudit(model: model, test: test, k: 2) }
    }
}
