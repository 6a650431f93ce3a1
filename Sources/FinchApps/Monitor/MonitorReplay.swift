import Foundation

/// What a replay did.
public struct ReplaySummary: Codable, Sendable, Equatable {
    /// Documents stored (repeated ids counted once).
    public var documents: Int
    /// Buckets closed and evaluated (from the first document's bucket to the last's).
    public var buckets: Int
    /// Alerts opened.
    public var alerts: Int
}

/// Runs a stream through a monitor offline, by stream time: documents are
/// ingested in file order in batches; when a document's bucket starts after
/// the current one, the buckets before it close first (so a late document
/// updates its bucket's counts but does not reopen its evaluation); at the
/// end every bucket closes.
public enum MonitorReplay {
    /// Replays `documents` through `service`, calling `onAlert` with each alert as it opens.
    public static func run(
        _ documents: [MonitorDocument], service: MonitorService, batchSize: Int = 256, onAlert: (Alert) throws -> Void
    ) async throws -> ReplaySummary {
        let width = service.config.bucket
        var batch: [MonitorDocument] = []
        var current: Date? = nil, first: Date? = nil
        var stored = 0, alerts = 0
        func flush() async throws {
            guard !batch.isEmpty else { return }
            stored += try await service.ingest(batch).filter(\.isNew).count
            batch.removeAll(keepingCapacity: true)
        }
        func close(upTo clock: Date) async throws {
            for case .opened(let alert) in try await service.closeBuckets(upTo: clock) {
                alerts += 1
                try onAlert(alert)
            }
        }
        for d in documents {
            let start = width.start(of: d.time)
            if first == nil { first = start }
            if let c = current, start > c {
                try await flush()
                try await close(upTo: start)
            }
            if current == nil || start > current! { current = start }
            batch.append(d)
            if batch.count >= max(batchSize, 1) { try await flush() }
        }
        try await flush()
        guard let first, let current else { return ReplaySummary(documents: 0, buckets: 0, alerts: 0) }
        try await close(upTo: width.next(after: current))
        let buckets = Int(current.timeIntervalSince(first)) / width.seconds + 1
        return ReplaySummary(documents: stored, buckets: buckets, alerts: alerts)
    }
}
