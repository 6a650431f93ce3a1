import FinchApps
import Foundation
import Testing

@Suite struct AlertEngineTests {
    typealias F = MonitorFixtures

    static let config = MonitorConfig(
        name: "m", sentimentModel: "s", watchlist: Watchlist([WatchlistEntity(name: "Apple", aliases: ["AAPL"])]))

    /// `count` documents for Apple in hour `h`, `negative` of them negative (the first ones, most negative first).
    static func bucket(_ h: Int, count: Int, negative: Int, entity: String = "Apple") -> [ScoredDocument] {
        (0..<count).map { i in
            F.scored(
                "\(entity)-\(h)-\(i)", at: F.hour(Double(h) + Double(i) / Double(count + 1)),
                polarity: i < negative ? .negative : .positive,
                entities: [entity], score: i < negative ? -0.9 + Double(i) * 0.01 : 0.5)
        }
    }

    func repository(_ rules: [AlertRule], buckets: [[ScoredDocument]]) async throws -> InMemoryMonitorRepository {
        let repo = InMemoryMonitorRepository()
        try await repo.putMonitor(Self.config)
        for r in rules { try await repo.putRule(r, monitor: "m") }
        _ = try await repo.insertDocuments(buckets.flatMap { $0 }, monitor: "m", width: .hour)
        return repo
    }

    @Test func alertOpensWithItsDrivingDocumentsAndCloses() async throws {
        let rule = AlertRule(name: "neg", metric: .negativeShare, detector: .ewmaZ, halflife: 1, z: 3, minCount: 10, cooldown: 0)
        let shares = [(100, 20), (100, 20), (5, 5), (100, 20), (100, 40), (100, 20)]
        let repo = try await repository(
            [rule], buckets: shares.enumerated().map { Self.bucket($0.offset, count: $0.element.0, negative: $0.element.1) })
        let engine = AlertEngine(config: Self.config, repository: repo, documentsPerAlert: 3)
        // Hour 5 has not closed at 05:30.
        let first = try await engine.closeBuckets(upTo: F.hour(5.5))
        #expect(first.count == 1)
        guard case .opened(let alert) = try #require(first.first) else { Issue.record("expected an opened alert"); return }
        #expect(alert.bucketStart == F.hour(4) && alert.entity == "Apple" && alert.rule == "neg" && alert.count == 100)
        #expect(abs(alert.value - 0.4) < 1e-12 && abs(alert.baseline - 0.2) < 1e-12 && abs(alert.score - 5) < 1e-9)
        // Most negative first.
        #expect(alert.documents == ["Apple-4-0", "Apple-4-1", "Apple-4-2"])
        #expect(try await repo.alerts(AlertQuery(state: .open), monitor: "m").map(\.id) == [alert.id])
        // Evaluating again changes nothing; hour 5 closing closes the alert.
        #expect(try await engine.closeBuckets(upTo: F.hour(5.5)).isEmpty)
        let second = try await engine.closeBuckets(upTo: F.hour(6))
        guard case .closed(let closed) = try #require(second.first) else { Issue.record("expected a closed alert"); return }
        #expect(closed.id == alert.id && closed.state == .closed && closed.closedBucket == F.hour(5))
        #expect(try await repo.alerts(AlertQuery(state: .open), monitor: "m").isEmpty)
    }

    @Test func cooldownAndMinCount() async throws {
        let rule = AlertRule(
            name: "t", entity: "Apple", metric: .negativeShare, detector: .threshold, threshold: 0.3, minCount: 10, cooldown: 2)
        // Shares .5 .1 .5 .1 .5 .5, and a small all-negative bucket (5 < min_count) at hour 6.
        let counts = [(20, 10), (20, 2), (20, 10), (20, 2), (20, 10), (20, 10), (5, 5)]
        let repo = try await repository(
            [rule], buckets: counts.enumerated().map { Self.bucket($0.offset, count: $0.element.0, negative: $0.element.1) })
        let events = try await AlertEngine(config: Self.config, repository: repo).closeBuckets(upTo: F.hour(7))
        let summary = events.map { e -> String in
            switch e {
            case .opened(let a): "open@\(Int(a.bucketStart.timeIntervalSince(F.monday) / 3600))"
            case .closed(let a): "close@\(Int(a.closedBucket!.timeIntervalSince(F.monday) / 3600))"
            }
        }
        // Hour 2 is within 2 buckets of hour 0's alert; hour 5 finds hour 4's still open; hour 6 is too small.
        #expect(summary == ["open@0", "close@1", "open@4"])
    }

    @Test func everyEntityRuleWatchesEachEntitySeparately() async throws {
        let rule = AlertRule(name: "t", metric: .negativeShare, detector: .threshold, threshold: 0.5, minCount: 1, cooldown: 0)
        let repo = try await repository(
            [rule], buckets: [Self.bucket(0, count: 10, negative: 1), Self.bucket(0, count: 10, negative: 8, entity: "Tencent")])
        let events = try await AlertEngine(config: Self.config, repository: repo).closeBuckets(upTo: F.hour(1))
        #expect(events.map(\.alert.entity) == ["Tencent"])
    }

    @Test func dailyRhythmDoesNotAlarmButASpikeDoes() async throws {
        let rule = AlertRule(name: "vol", metric: .volume, detector: .ewmaZ, halflife: 24, z: 4, minCount: 0, cooldown: 6)
        var buckets: [[ScoredDocument]] = []
        let days = 8
        for h in 0..<(days * 24) {
            // 20 documents at night, 120 at 14:00 — a rhythm a flat baseline would alarm on every afternoon.
            let base = 70 - 50 * cos(2 * Double.pi * Double((h % 24) - 2) / 24)
            let spike = h == days * 24 - 8  // 16:00 of the last day
            buckets.append(Self.bucket(h, count: Int(base.rounded()) * (spike ? 3 : 1), negative: 0))
        }
        let repo = try await repository([rule], buckets: buckets)
        let events = try await AlertEngine(config: Self.config, repository: repo).closeBuckets(upTo: F.hour(Double(days * 24)))
        let opened = events.compactMap { e -> Alert? in if case .opened(let a) = e { a } else { nil } }
        #expect(opened.map(\.bucketStart) == [F.hour(Double(days * 24 - 8))])
        let alert = try #require(opened.first)
        // The baseline knows 16:00 is busy: it expects about the rhythm's value, not the daily mean.
        let expected = 70 - 50 * cos(2 * Double.pi * 14 / 24)
        #expect(abs(alert.baseline - expected) / expected < 0.15, "baseline \(alert.baseline) vs \(expected)")
    }
}
