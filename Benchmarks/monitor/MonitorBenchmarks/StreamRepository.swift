import FinchApps
import Foundation
import Synchronization

/// A monitor repository for long benchmark streams: buckets, rules, alerts and
/// detector states as `InMemoryMonitorRepository` keeps them, but documents
/// only for the last `keepSeconds` of stream time (enough for an alert's
/// driving documents) — a 60-day stream of a million texts would not fit
/// otherwise. Ids stay known for idempotence.
final class StreamRepository: MonitorRepository {
    private let inner = InMemoryMonitorRepository()
    private struct Recent {
        var ids = Set<String>()
        var documents: [ScoredDocument] = []
        var buckets = SeriesBuckets()
    }
    private let recent = Mutex(Recent())
    let keepSeconds: Double

    init(keepSeconds: Double = 7200) { self.keepSeconds = keepSeconds }

    func putMonitor(_ config: MonitorConfig) async throws { try await inner.putMonitor(config) }
    func monitor(name: String) async throws -> MonitorConfig? { try await inner.monitor(name: name) }
    func allMonitors() async throws -> [MonitorConfig] { try await inner.allMonitors() }
    func deleteMonitor(name: String) async throws -> Bool { try await inner.deleteMonitor(name: name) }

    func insertDocuments(_ documents: [ScoredDocument], monitor: String, width: BucketWidth) async throws -> [Bool] {
        recent.withLock { r in
            var fresh: [ScoredDocument] = []
            let flags = documents.map { d -> Bool in
                guard r.ids.insert(d.id).inserted else { return false }
                fresh.append(d)
                return true
            }
            r.buckets.add(MonitorAggregation.deltas(for: fresh, width: width))
            r.documents += fresh
            if let newest = fresh.map(\.time).max() {
                let horizon = newest.addingTimeInterval(-keepSeconds)
                if let first = r.documents.first, first.time < horizon { r.documents.removeAll { $0.time < horizon } }
            }
            return flags
        }
    }

    func documents(_ query: MonitorDocumentQuery, monitor: String) async throws -> [ScoredDocument] {
        if let ids = query.ids {
            // Only "which of these are known" matters to ingest; known ids answer with a stub.
            let known = recent.withLock { r in ids.filter { r.ids.contains($0) } }
            let knownSet = Set(known)
            let stored = recent.withLock { r in r.documents.filter { knownSet.contains($0.id) } }
            return stored
        }
        let all = recent.withLock { $0.documents.filter(query.matches) }
        let sorted = all.sorted(by: MonitorDocumentQuery.newestFirst)
        return query.limit.map { Array(sorted.prefix($0)) } ?? sorted
    }

    func buckets(_ query: BucketQuery, monitor: String) async throws -> [BucketAggregate] {
        recent.withLock { $0.buckets.select(query) }
    }

    func putRule(_ rule: AlertRule, monitor: String) async throws { try await inner.putRule(rule, monitor: monitor) }
    func rules(monitor: String) async throws -> [AlertRule] { try await inner.rules(monitor: monitor) }
    func deleteRule(name: String, monitor: String) async throws -> Bool { try await inner.deleteRule(name: name, monitor: monitor) }
    func insertAlert(_ alert: Alert) async throws -> Bool { try await inner.insertAlert(alert) }
    func closeAlert(id: String, monitor: String, bucket: Date) async throws -> Bool {
        try await inner.closeAlert(id: id, monitor: monitor, bucket: bucket)
    }
    func alerts(_ query: AlertQuery, monitor: String) async throws -> [Alert] { try await inner.alerts(query, monitor: monitor) }
    func detectorState(_ key: DetectorKey) async throws -> DetectorState? { try await inner.detectorState(key) }
    func putDetectorState(_ state: DetectorState, key: DetectorKey) async throws { try await inner.putDetectorState(state, key: key) }
}
