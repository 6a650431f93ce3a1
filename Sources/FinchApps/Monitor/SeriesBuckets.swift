import Foundation

/// Bucket aggregates indexed by series, for the in-memory repositories: a
/// query for one series reads only that series' buckets.
public struct SeriesBuckets: Sendable {
    struct Series: Hashable {
        var kind: SeriesKind
        var name: String
    }

    private var series: [Series: [Date: BucketAggregate]] = [:]

    public init() {}

    /// Adds each delta to its bucket.
    public mutating func add(_ deltas: [BucketAggregate]) {
        for d in deltas {
            series[Series(kind: d.key.kind, name: d.key.name), default: [:]][d.key.start, default: BucketAggregate(key: d.key)].add(d)
        }
    }

    /// The buckets `query` selects, by name then start.
    public func select(_ query: BucketQuery) -> [BucketAggregate] {
        let names: [Series] =
            query.name.map { [Series(kind: query.kind, name: $0)] } ?? series.keys.filter { $0.kind == query.kind }
        var out: [BucketAggregate] = []
        for s in names.sorted(by: { $0.name < $1.name }) {
            guard let buckets = series[s] else { continue }
            out += buckets.values.filter { query.matches($0.key) }.sorted { $0.key.start < $1.key.start }
        }
        return out
    }
}
