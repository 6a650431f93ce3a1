import Foundation
import Synchronization

/// Monitors kept in memory: for tests, `finch monitor replay` and the
/// in-memory store. Same contract as the database repositories.
public final class InMemoryMonitorRepository: MonitorRepository {
    struct Tables {
        var monitors: [String: MonitorConfig] = [:]
        /// Per monitor: documents by id.
        var documents: [String: [String: ScoredDocument]] = [:]
        var buckets: [String: SeriesBuckets] = [:]
        var rules: [String: [String: AlertRule]] = [:]
        var alerts: [String: [String: Alert]] = [:]
        var states: [DetectorKey: DetectorState] = [:]
    }

    private let tables = Mutex(Tables())

    public init() {}

    public func putMonitor(_ config: MonitorConfig) async throws { tables.withLock { $0.monitors[config.name] = config } }
    public func monitor(name: String) async throws -> MonitorConfig? { tables.withLock { $0.monitors[name] } }
    public func allMonitors() async throws -> [MonitorConfig] { tables.withLock { $0.monitors.values.sorted { $0.name < $1.name } } }

    public func deleteMonitor(name: String) async throws -> Bool {
        tables.withLock { t in
            guard t.monitors.removeValue(forKey: name) != nil else { return false }
            t.documents[name] = nil
            t.buckets[name] = nil
            t.rules[name] = nil
            t.alerts[name] = nil
            t.states = t.states.filter { $0.key.monitor != name }
            return true
        }
    }

    public func insertDocuments(_ documents: [ScoredDocument], monitor: String, width: BucketWidth) async throws -> [Bool] {
        tables.withLock { t in
            var stored = t.documents[monitor] ?? [:]
            var fresh: [ScoredDocument] = []
            let flags = documents.map { d -> Bool in
                guard stored[d.id] == nil else { return false }
                stored[d.id] = d
                fresh.append(d)
                return true
            }
            t.documents[monitor] = stored
            t.buckets[monitor, default: SeriesBuckets()].add(MonitorAggregation.deltas(for: fresh, width: width))
            return flags
        }
    }

    public func documents(_ query: MonitorDocumentQuery, monitor: String) async throws -> [ScoredDocument] {
        let all = tables.withLock { t in
            let stored = t.documents[monitor] ?? [:]
            // By id: look each one up instead of scanning every document.
            if let ids = query.ids { return Set(ids).compactMap { stored[$0] }.filter(query.matches) }
            return stored.values.filter(query.matches)
        }
        let sorted = all.sorted(by: MonitorDocumentQuery.newestFirst)
        return query.limit.map { Array(sorted.prefix(Swift.max($0, 0))) } ?? sorted
    }

    public func buckets(_ query: BucketQuery, monitor: String) async throws -> [BucketAggregate] {
        tables.withLock { t in t.buckets[monitor]?.select(query) ?? [] }
    }

    public func putRule(_ rule: AlertRule, monitor: String) async throws {
        tables.withLock { $0.rules[monitor, default: [:]][rule.name] = rule }
    }

    public func rules(monitor: String) async throws -> [AlertRule] {
        tables.withLock { ($0.rules[monitor] ?? [:]).values.sorted { $0.name < $1.name } }
    }

    public func deleteRule(name: String, monitor: String) async throws -> Bool {
        tables.withLock { t in
            guard t.rules[monitor]?.removeValue(forKey: name) != nil else { return false }
            t.states = t.states.filter { !($0.key.monitor == monitor && $0.key.rule == name) }
            return true
        }
    }

    public func insertAlert(_ alert: Alert) async throws -> Bool {
        tables.withLock { t in
            guard t.alerts[alert.monitor]?[alert.id] == nil else { return false }
            t.alerts[alert.monitor, default: [:]][alert.id] = alert
            return true
        }
    }

    public func closeAlert(id: String, monitor: String, bucket: Date) async throws -> Bool {
        tables.withLock { t in
            guard var a = t.alerts[monitor]?[id], a.state == .open else { return false }
            a.state = .closed
            a.closedBucket = bucket
            t.alerts[monitor]![id] = a
            return true
        }
    }

    public func alerts(_ query: AlertQuery, monitor: String) async throws -> [Alert] {
        let all = tables.withLock { t in (t.alerts[monitor] ?? [:]).values.filter(query.matches) }
        let sorted = all.sorted(by: AlertQuery.newestFirst)
        return query.limit.map { Array(sorted.prefix(Swift.max($0, 0))) } ?? sorted
    }

    public func detectorState(_ key: DetectorKey) async throws -> DetectorState? { tables.withLock { $0.states[key] } }
    public func putDetectorState(_ state: DetectorState, key: DetectorKey) async throws { tables.withLock { $0.states[key] = state } }
}
