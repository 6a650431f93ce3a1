import FinchApps
import FinchServer
import Foundation
import Logging
import Testing

/// Bucket closing by the service's clock, injected: a bucket is evaluated exactly when the clock
/// passes its end plus the grace period, and its alert goes to the SSE clients at once. With the
/// defaults (grace 0.25 s, a check every 0.25 s) an alert is raised within 0.5 s (+ its
/// evaluation) of its bucket's end.
@Suite struct MonitorBucketCloseTests {
    @Test func aBucketIsEvaluatedWhenTheClockPassesItsEndPlusGrace() async throws {
        let store = InMemoryStore()
        let logger = Logger(label: "bucket-close-tests")
        let host = MonitorHost(
            repository: store.monitors, webhooks: store.webhooks,
            registry: ModelRegistry(store: store.models, options: BatchingOptions()), storedText: .off,
            dispatcher: WebhookDispatcher(log: store.webhooks, logger: logger), logger: logger)
        defer { host.shutdown() }
        let config = MonitorConfig(name: "news", sentimentModel: "sentiment", bucket: .minute)
        try await store.monitors.putMonitor(config)
        try await store.monitors.putRule(
            AlertRule(name: "busy", entity: "ACME", metric: .volume, detector: .threshold, threshold: 2, minCount: 1, cooldown: 0),
            monitor: "news")
        let start = Date(timeIntervalSince1970: 1_772_409_600)  // a minute's start
        let documents = (0..<3).map {
            MonitorRepositoryChecks.document("d\($0)", start.timeIntervalSince1970 + Double($0), .negative, entities: ["ACME"])
        }
        _ = try await store.monitors.insertDocuments(documents, monitor: "news", width: .minute)
        let events = host.events.subscribe(monitor: "news")
        let end = start.addingTimeInterval(60)
        let defaults = MonitorOptions()
        #expect(defaults.graceSeconds + defaults.tickSeconds <= 0.5)

        await host.closeDueBuckets(now: end.addingTimeInterval(0.24), grace: 0.25)
        #expect(try await store.monitors.alerts(AlertQuery(), monitor: "news").isEmpty)
        await host.closeDueBuckets(now: end.addingTimeInterval(0.25), grace: 0.25)
        let alerts = try await store.monitors.alerts(AlertQuery(), monitor: "news")
        #expect(alerts.map(\.bucketStart) == [start])
        #expect(alerts.first?.value == 3 && alerts.first?.documents.count == 3)

        host.events.finishAll()
        var names: [String] = []
        for await item in events { if case .event(let e) = item { names.append(e.name) } }
        #expect(names == ["alert"])
    }
}
