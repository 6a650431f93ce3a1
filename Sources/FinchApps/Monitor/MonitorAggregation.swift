import Foundation

/// How documents add to buckets: each document counts once in the overall
/// series, once for its topic, and once for each distinct entity it mentions.
/// Every repository applies exactly these deltas for its new documents, so
/// stored aggregates always equal a recount of the stored documents.
public enum MonitorAggregation {
    /// The bucket deltas of `documents` (summed per key, in key order).
    public static func deltas(for documents: [ScoredDocument], width: BucketWidth) -> [BucketAggregate] {
        var sums: [BucketKey: BucketAggregate] = [:]
        for d in documents {
            let start = width.start(of: d.time)
            var keys = [BucketKey(kind: .overall, name: BucketKey.overallName, start: start)]
            if let topic = d.topic { keys.append(BucketKey(kind: .topic, name: topic, start: start)) }
            for e in d.entities { keys.append(BucketKey(kind: .entity, name: e, start: start)) }
            for k in keys { sums[k, default: BucketAggregate(key: k)].add(polarity: d.polarity, score: d.sentimentScore) }
        }
        return sums.values.sorted { a, b in ordered(a.key, b.key) }
    }

    /// Key order: kind, name, start.
    static func ordered(_ a: BucketKey, _ b: BucketKey) -> Bool {
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        if a.name != b.name { return a.name < b.name }
        return a.start < b.start
    }
}
