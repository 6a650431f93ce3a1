import Foundation

/// An alert: a rule fired for one entity at one bucket. It stays open until a
/// later bucket of the same series is back to normal (recovery).
public struct Alert: Sendable, Equatable {
    /// Open or closed.
    public enum State: String, Codable, Sendable {
        case open
        case closed
    }

    /// `monitor/rule/entity/bucket-start`: the same firing gets the same id on every instance.
    public var id: String
    public var monitor: String
    /// The rule's name.
    public var rule: String
    /// The entity series (for a `*` rule, the entity it fired for).
    public var entity: String
    public var metric: AlertMetric
    public var detector: DetectorKind
    /// The start of the bucket that fired.
    public var bucketStart: Date
    /// The metric's value in that bucket.
    public var value: Double
    /// The detector's expectation (EWMA mean, seasonal volume; the threshold for `threshold`).
    public var baseline: Double
    /// The detector's score (z, or the CUSUM sum; for `threshold`, the value).
    public var score: Double
    /// Documents in the bucket.
    public var count: Int
    public var state: State
    /// When the firing bucket was evaluated (the engine's clock: stream time in replay).
    public var openedAt: Date
    /// The start of the bucket that was back to normal, once closed.
    public var closedBucket: Date?
    /// The top documents that drove it: most negative first, then most recent.
    public var documents: [String]

    public init(
        id: String, monitor: String, rule: String, entity: String, metric: AlertMetric, detector: DetectorKind, bucketStart: Date,
        value: Double, baseline: Double, score: Double, count: Int, state: State = .open, openedAt: Date, closedBucket: Date? = nil,
        documents: [String]
    ) {
        self.id = id
        self.monitor = monitor
        self.rule = rule
        self.entity = entity
        self.metric = metric
        self.detector = detector
        self.bucketStart = bucketStart
        self.value = value
        self.baseline = baseline
        self.score = score
        self.count = count
        self.state = state
        self.openedAt = openedAt
        self.closedBucket = closedBucket
        self.documents = documents
    }

    /// The deterministic id of a firing.
    public static func id(monitor: String, rule: String, entity: String, bucketStart: Date) -> String {
        "\(monitor)/\(rule)/\(entity)/\(Int64(bucketStart.timeIntervalSince1970))"
    }
}

extension Alert: Codable {
    enum CodingKeys: String, CodingKey {
        case id, monitor, rule, entity, metric, detector, value, baseline, score, count, state, documents
        case bucketStart = "bucket_start", openedAt = "opened_at", closedBucket = "closed_bucket"
    }

    /// Every field is written (`closed_bucket` null while open).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(monitor, forKey: .monitor)
        try c.encode(rule, forKey: .rule)
        try c.encode(entity, forKey: .entity)
        try c.encode(metric, forKey: .metric)
        try c.encode(detector, forKey: .detector)
        try c.encode(bucketStart, forKey: .bucketStart)
        try c.encode(value, forKey: .value)
        try c.encode(baseline, forKey: .baseline)
        try c.encode(score, forKey: .score)
        try c.encode(count, forKey: .count)
        try c.encode(state, forKey: .state)
        try c.encode(openedAt, forKey: .openedAt)
        try c.encode(closedBucket, forKey: .closedBucket)
        try c.encode(documents, forKey: .documents)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), monitor: try c.decode(String.self, forKey: .monitor),
            rule: try c.decode(String.self, forKey: .rule), entity: try c.decode(String.self, forKey: .entity),
            metric: try c.decode(AlertMetric.self, forKey: .metric), detector: try c.decode(DetectorKind.self, forKey: .detector),
            bucketStart: try c.decode(Date.self, forKey: .bucketStart), value: try c.decode(Double.self, forKey: .value),
            baseline: try c.decode(Double.self, forKey: .baseline), score: try c.decode(Double.self, forKey: .score),
            count: try c.decode(Int.self, forKey: .count), state: try c.decode(State.self, forKey: .state),
            openedAt: try c.decode(Date.self, forKey: .openedAt), closedBucket: try c.decodeIfPresent(Date.self, forKey: .closedBucket),
            documents: try c.decode([String].self, forKey: .documents))
    }
}
