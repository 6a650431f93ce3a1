import FinchApps
import Foundation
import Testing

@Suite struct MonitorAggregationTests {
    typealias F = MonitorFixtures

    /// What a plain recount of `documents` gives, one bucket at a time.
    static func recount(_ documents: [ScoredDocument], width: BucketWidth) -> [BucketKey: BucketAggregate] {
        var out: [BucketKey: BucketAggregate] = [:]
        for d in documents {
            let start = width.start(of: d.time)
            var keys = [BucketKey(kind: .overall, name: "*", start: start)]
            for e in Set(d.mentions.map(\.entity)) { keys.append(BucketKey(kind: .entity, name: e, start: start)) }
            if let t = d.topic { keys.append(BucketKey(kind: .topic, name: t, start: start)) }
            for k in keys {
                var a = out[k] ?? BucketAggregate(key: k)
                a.count += 1
                if d.polarity == .negative { a.negative += 1 }
                if d.polarity == .neutral { a.neutral += 1 }
                if d.polarity == .positive { a.positive += 1 }
                a.scoreSum += d.sentimentScore
                out[k] = a
            }
        }
        return out
    }

    @Test func aggregatesEqualARecountAfterLateAndDuplicateIngests() async throws {
        var docs: [ScoredDocument] = []
        let polarities: [SentimentPolarity] = [.negative, .neutral, .positive, .negative, .positive]
        for i in 0..<60 {
            var entities = i % 3 == 0 ? ["Apple"] : ["Tencent"]
            if i % 7 == 0 { entities.append("Apple") }  // mentioned twice: counts once
            if i % 5 == 0 { entities.append("Meta") }
            docs.append(
                F.scored(
                    "d\(i)", at: F.hour(Double(i % 6) + Double(i) / 100), polarity: polarities[i % 5], entities: entities,
                    topic: i % 2 == 0 ? "earnings" : nil, score: Double(i % 11) / 10 - 0.5))
        }
        let repo = InMemoryMonitorRepository()
        // Out of order: the later hours first, then the early ones; every batch
        // repeats some ids, and a changed duplicate changes nothing.
        var shuffled = docs.reversed().map { $0 }
        shuffled.swapAt(3, 40)
        var changed = docs[7]
        changed.polarity = .positive
        changed.document.time = F.hour(30)
        let batches = [Array(shuffled[0..<25]), Array(shuffled[20..<45]) + [shuffled[0]], Array(shuffled[40..<60]) + [changed, docs[7]]]
        var fresh = 0
        for batch in batches {
            let flags = try await repo.insertDocuments(batch, monitor: "m", width: .hour)
            fresh += flags.filter { $0 }.count
        }
        #expect(fresh == 60)
        let stored = try await repo.documents(MonitorDocumentQuery(), monitor: "m")
        #expect(stored.count == 60 && stored.first { $0.id == "d7" } == docs[7])
        let expected = Self.recount(stored, width: .hour)
        var got: [BucketKey: BucketAggregate] = [:]
        for kind in SeriesKind.allCases {
            for a in try await repo.buckets(BucketQuery(kind: kind), monitor: "m") { got[a.key] = a }
        }
        #expect(got.count == expected.count)
        for (k, e) in expected {
            let g = try #require(got[k])
            #expect(g.count == e.count && g.negative == e.negative && g.neutral == e.neutral && g.positive == e.positive)
            #expect(abs(g.scoreSum - e.scoreSum) < 1e-9)
        }
        // Apple in hour 0: d0 (neg), d6 (neg·... ) — spot-check one bucket by hand.
        let apple0 = try #require(got[BucketKey(kind: .entity, name: "Apple", start: F.hour(0))])
        let byHand = docs.filter { $0.entities.contains("Apple") && BucketWidth.hour.start(of: $0.time) == F.hour(0) }
        #expect(apple0.count == byHand.count && apple0.negative == byHand.filter { $0.polarity == .negative }.count)
        #expect(abs(apple0.negativeShare - Double(apple0.negative) / Double(apple0.count)) < 1e-12)
    }

    @Test func repeatWithinOneBatchCountsOnce() async throws {
        let repo = InMemoryMonitorRepository()
        let d = F.scored("x", at: F.hour(1), polarity: .negative, entities: ["Apple"])
        let flags = try await repo.insertDocuments([d, d], monitor: "m", width: .day)
        #expect(flags == [true, false])
        let buckets = try await repo.buckets(BucketQuery(kind: .entity, name: "Apple"), monitor: "m")
        #expect(buckets.map(\.count) == [1] && buckets[0].key.start == F.monday)
    }

    @Test func bucketWidthsAlignToUTC() {
        let t = F.monday.addingTimeInterval(3 * 86400 + 5 * 3600 + 17 * 60 + 9)
        #expect(BucketWidth.minute.start(of: t) == F.monday.addingTimeInterval(3 * 86400 + 5 * 3600 + 17 * 60))
        #expect(BucketWidth.hour.start(of: t) == F.monday.addingTimeInterval(3 * 86400 + 5 * 3600))
        #expect(BucketWidth.day.start(of: t) == F.monday.addingTimeInterval(3 * 86400))
        #expect(BucketWidth.hour.seasonSlot(of: F.monday) == 0)
        #expect(BucketWidth.hour.seasonSlot(of: F.hour(24 * 3 + 5)) == 77)
        #expect(BucketWidth.day.seasonSlot(of: F.hour(24 * 6)) == 6)
        #expect(BucketWidth(parsing: "1h") == .hour && BucketWidth(parsing: "day") == .day && BucketWidth(parsing: "2h") == nil)
    }
}
