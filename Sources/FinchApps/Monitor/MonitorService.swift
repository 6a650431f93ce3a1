import Foundation

/// A document after ingest: as stored, and whether this call stored it.
public struct IngestedDocument: Sendable, Equatable {
    public var document: ScoredDocument
    /// False when the id was known already (nothing changed).
    public var isNew: Bool
}

/// One monitor at work: ingest (redact, score, store, aggregate) and bucket
/// closing (rules → alerts). No HTTP: the service and `finch monitor replay` both drive it.
public struct MonitorService: Sendable {
    public let pipeline: MonitorPipeline
    public let repository: any MonitorRepository
    public let engine: AlertEngine

    public init(pipeline: MonitorPipeline, repository: any MonitorRepository, documentsPerAlert: Int = 5) {
        self.pipeline = pipeline
        self.repository = repository
        engine = AlertEngine(config: pipeline.config, repository: repository, documentsPerAlert: documentsPerAlert)
    }

    public var config: MonitorConfig { pipeline.config }

    /// Scores and stores `documents`; ids already stored (or repeated in the
    /// batch) are not scored again and change nothing. Durable when it returns.
    public func ingest(_ documents: [MonitorDocument]) async throws -> [IngestedDocument] {
        guard !documents.isEmpty else { return [] }
        let known = try await repository.documents(MonitorDocumentQuery(ids: documents.map(\.id)), monitor: config.name)
        var byID = Dictionary(known.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var fresh: [MonitorDocument] = [], seen = Set(byID.keys)
        for d in documents where seen.insert(d.id).inserted { fresh.append(d) }
        let scored = try await pipeline.score(fresh)
        let flags = try await repository.insertDocuments(scored, monitor: config.name, width: config.bucket)
        var stored = Set<String>()
        for (d, isNew) in zip(scored, flags) {
            if isNew { stored.insert(d.id) }
            byID[d.id] = byID[d.id] ?? d
        }
        var out: [IngestedDocument] = []
        out.reserveCapacity(documents.count)
        for d in documents {
            let isNew = stored.remove(d.id) != nil
            out.append(IngestedDocument(document: byID[d.id]!, isNew: isNew))
        }
        return out
    }

    /// Evaluates the buckets closed by `clock` (see `AlertEngine.closeBuckets(upTo:)`).
    public func closeBuckets(upTo clock: Date) async throws -> [AlertEvent] { try await engine.closeBuckets(upTo: clock) }
}
