import Foundation

/// Monitors, their documents, bucket aggregates, rules, alerts and detector
/// states in the store. Every method is keyed by the monitor's name; writes
/// are durable (committed) when they return.
public protocol MonitorRepository: Sendable {
    /// Creates or replaces a monitor's configuration.
    func putMonitor(_ config: MonitorConfig) async throws
    func monitor(name: String) async throws -> MonitorConfig?
    /// Every monitor, by name.
    func allMonitors() async throws -> [MonitorConfig]
    /// Deletes a monitor with its documents, buckets, rules, alerts and
    /// detector states; false when absent.
    func deleteMonitor(name: String) async throws -> Bool

    /// Stores the documents whose id is new to the monitor and, in the same
    /// transaction, adds `MonitorAggregation.deltas(for: newOnes, width:)` to
    /// the buckets. A known id changes nothing (idempotent ingest; a repeat
    /// within `documents` counts as known after its first). Returns, per
    /// document, whether it was new.
    func insertDocuments(_ documents: [ScoredDocument], monitor: String, width: BucketWidth) async throws -> [Bool]
    /// The documents the query selects, newest first (ties by id).
    func documents(_ query: MonitorDocumentQuery, monitor: String) async throws -> [ScoredDocument]
    /// Stored buckets the query selects, by name then start (buckets without documents are absent).
    func buckets(_ query: BucketQuery, monitor: String) async throws -> [BucketAggregate]

    /// Creates or replaces a rule (by name).
    func putRule(_ rule: AlertRule, monitor: String) async throws
    /// Every rule of the monitor, by name.
    func rules(monitor: String) async throws -> [AlertRule]
    /// Deletes a rule and its detector states; false when absent.
    func deleteRule(name: String, monitor: String) async throws -> Bool

    /// Stores a new alert; false (and nothing changes) when its id is known.
    func insertAlert(_ alert: Alert) async throws -> Bool
    /// Closes an open alert at the bucket that was back to normal; false when
    /// there is no such open alert.
    func closeAlert(id: String, monitor: String, bucket: Date) async throws -> Bool
    /// The alerts the query selects, newest bucket first.
    func alerts(_ query: AlertQuery, monitor: String) async throws -> [Alert]

    func detectorState(_ key: DetectorKey) async throws -> DetectorState?
    /// Creates or replaces a detector state.
    func putDetectorState(_ state: DetectorState, key: DetectorKey) async throws
}
