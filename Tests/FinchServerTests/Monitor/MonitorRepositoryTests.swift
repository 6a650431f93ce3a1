import FinchApps
import FinchServer
import Foundation
import Testing

/// The monitor and webhook repositories' contract, on every store.
enum MonitorRepositoryChecks {
    static func document(
        _ id: String, _ time: Double, _ polarity: SentimentPolarity, entities: [String], topic: String? = nil, text: String? = nil
    ) -> ScoredDocument {
        let body = text ?? "text of \(id) about \(entities.joined(separator: " and "))"
        return ScoredDocument(
            document: MonitorDocument(id: id, text: body, time: Date(timeIntervalSince1970: time), source: "wire", url: nil),
            sentimentLabel: polarity.rawValue, polarity: polarity, sentimentScore: polarity.sign * 0.75, confidence: 0.875, topic: topic,
            mentions: entities.enumerated().map { i, e in
                EntityMention(entity: e, text: e, type: i == 0 ? nil : "ORG", start: i, end: i + 1, origin: i == 0 ? .watchlist : .tagger)
            })
    }

    static func run(_ store: any ServiceStore) async throws {
        let repo = store.monitors
        let tag = UUID().uuidString.prefix(8).lowercased()
        let name = "m-\(tag)"
        var config = MonitorConfig(
            name: name, sentimentModel: "sentiment", polarity: ["bad": .negative],
            watchlist: Watchlist([WatchlistEntity(name: "ACME", aliases: ["ACM", "艾克米"])]), bucket: .hour)
        try await repo.putMonitor(config)
        #expect(try await repo.monitor(name: name) == config)
        config.bucket = .minute
        try await repo.putMonitor(config)
        #expect(try await repo.monitor(name: name)?.bucket == .minute)
        #expect(try await repo.allMonitors().filter { $0.name == name } == [config])
        #expect(try await repo.monitor(name: "absent-\(tag)") == nil)

        // Documents: idempotent on id, within a batch and across batches; out of order.
        let docs = [
            document("a", 7_200.5, .negative, entities: ["ACME", "Globex"], topic: "earnings"),
            document("b", 3_600, .positive, entities: ["ACME"]),
            document("c", 10_900.25, .neutral, entities: [], topic: "earnings"),
            document("a", 1, .positive, entities: ["Other"]),
        ]
        #expect(try await repo.insertDocuments(docs, monitor: name, width: .hour) == [true, true, true, false])
        let late = [document("d", 3_700, .negative, entities: ["ACME"]), document("b", 3_600, .negative, entities: ["ACME"])]
        #expect(try await repo.insertDocuments(late, monitor: name, width: .hour) == [true, false])
        let stored = [docs[0], docs[1], docs[2], late[0]]
        let all = try await repo.documents(MonitorDocumentQuery(), monitor: name)
        #expect(all == [docs[2], docs[0], late[0], docs[1]])  // newest first
        #expect(try await repo.documents(MonitorDocumentQuery(entity: "ACME"), monitor: name).map(\.id) == ["a", "d", "b"])
        #expect(try await repo.documents(MonitorDocumentQuery(entity: "Globex"), monitor: name).map(\.id) == ["a"])
        #expect(try await repo.documents(MonitorDocumentQuery(entity: "Other"), monitor: name).isEmpty)
        #expect(try await repo.documents(MonitorDocumentQuery(sentiment: .negative), monitor: name).map(\.id) == ["a", "d"])
        #expect(try await repo.documents(MonitorDocumentQuery(topic: "earnings"), monitor: name).map(\.id) == ["c", "a"])
        let window = MonitorDocumentQuery(from: Date(timeIntervalSince1970: 3_600), to: Date(timeIntervalSince1970: 7_200.5))
        #expect(try await repo.documents(window, monitor: name).map(\.id) == ["d", "b"])
        #expect(try await repo.documents(MonitorDocumentQuery(ids: ["b", "c", "zz"]), monitor: name).map(\.id) == ["c", "b"])
        #expect(try await repo.documents(MonitorDocumentQuery(ids: []), monitor: name).isEmpty)
        #expect(try await repo.documents(MonitorDocumentQuery(entity: "ACME", limit: 2), monitor: name).map(\.id) == ["a", "d"])
        #expect(try await repo.documents(MonitorDocumentQuery(), monitor: "absent-\(tag)").isEmpty)

        // Buckets equal a recount of the stored documents.
        let recount = MonitorAggregation.deltas(for: stored, width: .hour)
        for kind in SeriesKind.allCases {
            let read = try await repo.buckets(BucketQuery(kind: kind), monitor: name)
            #expect(read == recount.filter { $0.key.kind == kind }, "\(kind)")
        }
        let acme = try await repo.buckets(BucketQuery(kind: .entity, name: "ACME"), monitor: name)
        #expect(acme.map(\.count) == [2, 1])
        #expect(acme[0].negative == 1 && acme[0].positive == 1 && abs(acme[0].scoreSum) < 1e-12)
        let fromTo = BucketQuery(kind: .overall, from: Date(timeIntervalSince1970: 3_600), to: Date(timeIntervalSince1970: 10_800))
        #expect(try await repo.buckets(fromTo, monitor: name).map(\.key.start.timeIntervalSince1970) == [3_600, 7_200])

        // Rules.
        let r1 = AlertRule(name: "neg", metric: .negativeShare, detector: .ewmaZ, halflife: 12, z: 2.5, minCount: 5, cooldown: 2)
        var r2 = AlertRule(name: "vol", entity: "ACME", metric: .volume, detector: .threshold, threshold: 40)
        try await repo.putRule(r2, monitor: name)
        try await repo.putRule(r1, monitor: name)
        r2.threshold = 50
        try await repo.putRule(r2, monitor: name)
        #expect(try await repo.rules(monitor: name) == [r1, r2])

        // Detector states: replaced, and removed with their rule.
        let key = DetectorKey(monitor: name, rule: "vol", entity: "ACME")
        var state = DetectorState(rule: r2)
        state.mean = 12.5
        state.season = [1, 1.25]
        state.lastBucket = Date(timeIntervalSince1970: 3_600)
        try await repo.putDetectorState(state, key: key)
        state.observations = 3
        try await repo.putDetectorState(state, key: key)
        #expect(try await repo.detectorState(key) == state)
        #expect(try await repo.detectorState(DetectorKey(monitor: name, rule: "neg", entity: "ACME")) == nil)
        #expect(try await repo.deleteRule(name: "vol", monitor: name))
        #expect(try await !repo.deleteRule(name: "vol", monitor: name))
        #expect(try await repo.detectorState(key) == nil)
        #expect(try await repo.rules(monitor: name) == [r1])

        // Alerts.
        func alert(_ entity: String, _ bucket: Double) -> Alert {
            Alert(
                id: Alert.id(monitor: name, rule: "neg", entity: entity, bucketStart: Date(timeIntervalSince1970: bucket)), monitor: name,
                rule: "neg", entity: entity, metric: .negativeShare, detector: .ewmaZ, bucketStart: Date(timeIntervalSince1970: bucket),
                value: 0.5, baseline: 0.125, score: 4.25, count: 30, openedAt: Date(timeIntervalSince1970: bucket + 3_601),
                documents: ["a", "d"])
        }
        let first = alert("ACME", 3_600), second = alert("Globex", 7_200)
        #expect(try await repo.insertAlert(first))
        #expect(try await repo.insertAlert(second))
        #expect(try await !repo.insertAlert(first))
        #expect(try await repo.alerts(AlertQuery(), monitor: name) == [second, first])
        #expect(try await repo.closeAlert(id: first.id, monitor: name, bucket: Date(timeIntervalSince1970: 10_800)))
        #expect(try await !repo.closeAlert(id: first.id, monitor: name, bucket: Date(timeIntervalSince1970: 14_400)))
        var closed = first
        closed.state = .closed
        closed.closedBucket = Date(timeIntervalSince1970: 10_800)
        #expect(try await repo.alerts(AlertQuery(state: .closed), monitor: name) == [closed])
        #expect(try await repo.alerts(AlertQuery(state: .open), monitor: name) == [second])
        #expect(try await repo.alerts(AlertQuery(entity: "ACME"), monitor: name) == [closed])
        #expect(try await repo.alerts(AlertQuery(limit: 1), monitor: name) == [second])
        #expect(try await repo.alerts(AlertQuery(from: Date(timeIntervalSince1970: 7_200)), monitor: name) == [second])

        // Webhooks and their delivery log.
        let hooks = store.webhooks
        let w1 = WebhookRecord(
            id: "w1-\(tag)", monitor: name, url: "http://127.0.0.1:9/a", secret: "s1", createdAt: Date(timeIntervalSince1970: 5))
        let w2 = WebhookRecord(
            id: "w2-\(tag)", monitor: name, url: "https://example.invalid/b", secret: "s2", createdAt: Date(timeIntervalSince1970: 6))
        try await hooks.insertWebhook(w2)
        try await hooks.insertWebhook(w1)
        #expect(try await hooks.webhooks(monitor: name) == [w1, w2])
        for (i, outcome) in [WebhookAttemptOutcome.retrying, .retrying, .delivered].enumerated() {
            try await hooks.recordAttempt(
                WebhookAttemptRecord(
                    webhook: w1.id, delivery: "d1", event: "alert", attempt: i + 1, outcome: outcome,
                    statusCode: outcome == .delivered ? 200 : (i == 0 ? nil : 500), error: i == 0 ? "connection refused" : nil,
                    at: Date(timeIntervalSince1970: 100 + Double(i))))
        }
        let log = try await hooks.attempts(webhook: w1.id, limit: 2)
        #expect(log.map(\.attempt) == [2, 3])
        #expect(log.map(\.statusCode) == [500, 200])
        #expect(try await hooks.attempts(webhook: w1.id, limit: 10).first?.error == "connection refused")
        #expect(try await hooks.deleteWebhook(id: w2.id, monitor: name))
        #expect(try await !hooks.deleteWebhook(id: w2.id, monitor: name))
        #expect(try await !hooks.deleteWebhook(id: w1.id, monitor: "other-\(tag)"))
        #expect(try await hooks.deleteWebhook(id: w1.id, monitor: name))
        #expect(try await hooks.webhooks(monitor: name).isEmpty)

        // Deleting the monitor deletes everything of it.
        #expect(try await repo.deleteMonitor(name: name))
        #expect(try await !repo.deleteMonitor(name: name))
        #expect(try await repo.monitor(name: name) == nil)
        #expect(try await repo.documents(MonitorDocumentQuery(), monitor: name).isEmpty)
        #expect(try await repo.buckets(BucketQuery(kind: .overall), monitor: name).isEmpty)
        #expect(try await repo.rules(monitor: name).isEmpty)
        #expect(try await repo.alerts(AlertQuery(), monitor: name).isEmpty)
        // A document id may come back after the monitor is recreated.
        try await repo.putMonitor(config)
        #expect(try await repo.insertDocuments([docs[0]], monitor: name, width: .minute) == [true])
        #expect(try await repo.deleteMonitor(name: name))
    }
}

@Suite struct MonitorRepositoryTests {
    @Test func inMemory() async throws {
        try await MonitorRepositoryChecks.run(InMemoryStore())
    }

    @Test func sqlite() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        try await MonitorRepositoryChecks.run(store)
        try await store.close()
    }

    /// Needs `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away server and sets it).
    @Test func postgres() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
            "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
        let store = try await PostgresStore(url: url)
        try await MonitorRepositoryChecks.run(store)
        try await store.close()
    }
}
