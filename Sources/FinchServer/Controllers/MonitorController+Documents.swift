import FinchApps
import Foundation
import Hummingbird

extension MonitorController {
    /// One document as the API takes it: `time` in ISO 8601.
    struct DocumentInput: Decodable {
        var id: String
        var text: String
        var time: String
        var source: String?
        var url: String?
    }

    struct IngestRequest: Decodable { var documents: [DocumentInput] }

    struct IngestResult: Encodable {
        var id: String
        /// False for an id the monitor already had (nothing changed).
        var new: Bool
    }

    struct IngestResponse: Encodable {
        var accepted: Int
        var new: Int
        var results: [IngestResult]
    }

    /// `POST …/documents`: scored and stored in one transaction before the answer; 503 with
    /// `Retry-After` when a model's queue is full (nothing is stored then, so the client retries).
    @Sendable func ingest(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        return try await handling {
            let name = try context.pathParameter("name")
            let body = try await request.decodeJSON(IngestRequest.self, limit: limits.maxBodyBytes)
            try limits.check(body.documents.map(\.text), field: "documents")
            var documents: [MonitorDocument] = []
            for (i, d) in body.documents.enumerated() {
                guard !d.id.isEmpty else { throw APIError.invalid("documents[\(i)].id", "documents[\(i)].id must not be empty") }
                guard let time = MonitorStreamReader.parseTime(d.time) else {
                    throw APIError.invalid("documents[\(i)].time", "documents[\(i)].time must be an ISO 8601 date and time")
                }
                documents.append(MonitorDocument(id: d.id, text: d.text, time: time, source: d.source, url: d.url))
            }
            let ingested = try await service.ingest(documents, monitor: name)
            let results = ingested.map { IngestResult(id: $0.document.id, new: $0.isNew) }
            return try JSONResponse.make(IngestResponse(accepted: documents.count, new: results.filter(\.new).count, results: results))
        }
    }

    struct DocumentList: Encodable { var documents: [ScoredDocument] }

    /// `GET …/documents?entity=&topic=&from=&to=&sentiment=&limit=` (newest first; limit 100 by default, at most 10,000).
    @Sendable func documents(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let name = try context.pathParameter("name")
            let p = request.uri.queryParameters
            var query = MonitorDocumentQuery(
                entity: p.get("entity"), topic: p.get("topic"), from: try Self.time(p.get("from"), "from"),
                to: try Self.time(p.get("to"), "to"), limit: try Self.limit(p.get("limit")))
            if let sentiment = p.get("sentiment") {
                guard let polarity = SentimentPolarity(rawValue: String(sentiment)) else {
                    throw APIError.invalid("sentiment", "sentiment must be negative, neutral or positive")
                }
                query.sentiment = polarity
            }
            return try JSONResponse.make(DocumentList(documents: try await service.documents(query, monitor: name)))
        }
    }

    static func time(_ text: String?, _ field: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = MonitorStreamReader.parseTime(text) else {
            throw APIError.invalid(field, "\(field) must be an ISO 8601 date and time")
        }
        return date
    }

    static func limit(_ text: String?, default value: Int = 100) throws -> Int {
        guard let text else { return value }
        guard let n = Int(text), (1...10_000).contains(n) else {
            throw APIError.invalid("limit", "limit must be a whole number from 1 to 10000")
        }
        return n
    }

    struct Series: Encodable {
        var kind: SeriesKind
        var name: String
        var buckets: [BucketAggregate]
    }

    struct TrendsResponse: Encodable {
        var monitor: String
        var bucket: BucketWidth
        var series: [Series]
    }

    /// `GET …/trends?entity=&topic=&bucket=&from=&to=`: per series, the buckets in `[from, to)`.
    /// `entity` names one entity (`*`: the overall series); without `entity` or `topic`, every
    /// entity's series. `bucket` may be coarser than the monitor's (the counts are summed).
    @Sendable func trends(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let name = try context.pathParameter("name")
            let config = try await service.monitor(named: name)
            let p = request.uri.queryParameters
            var width = config.bucket
            if let text = p.get("bucket") {
                guard let given = BucketWidth(parsing: String(text)) else {
                    throw APIError.invalid("bucket", "bucket must be minute, hour or day")
                }
                guard given.seconds >= config.bucket.seconds else {
                    throw APIError.invalid("bucket", "bucket must not be finer than the monitor's (\(config.bucket.rawValue))")
                }
                width = given
            }
            let from = try Self.time(p.get("from"), "from"), to = try Self.time(p.get("to"), "to")
            let query: BucketQuery
            if let entity = p.get("entity") {
                query =
                    entity == BucketKey.overallName
                    ? BucketQuery(kind: .overall, name: entity, from: from, to: to)
                    : BucketQuery(kind: .entity, name: entity, from: from, to: to)
            } else if let topic = p.get("topic") {
                query = BucketQuery(kind: .topic, name: topic, from: from, to: to)
            } else {
                query = BucketQuery(kind: .entity, from: from, to: to)
            }
            let buckets = try await service.buckets(query, monitor: name)
            return try JSONResponse.make(TrendsResponse(monitor: name, bucket: width, series: Self.series(buckets, width: width)))
        }
    }

    /// Buckets grouped by series (in name order), summed into `width`.
    static func series(_ buckets: [BucketAggregate], width: BucketWidth) -> [Series] {
        var order: [String] = []
        var byName: [String: (kind: SeriesKind, sums: [Date: BucketAggregate])] = [:]
        for b in buckets {
            let start = width.start(of: b.key.start)
            if byName[b.key.name] == nil {
                order.append(b.key.name)
                byName[b.key.name] = (b.key.kind, [:])
            }
            let key = BucketKey(kind: b.key.kind, name: b.key.name, start: start)
            byName[b.key.name]!.sums[start, default: BucketAggregate(key: key)].add(b)
        }
        return order.sorted().map { name in
            let entry = byName[name]!
            return Series(kind: entry.kind, name: name, buckets: entry.sums.values.sorted { $0.key.start < $1.key.start })
        }
    }
}
