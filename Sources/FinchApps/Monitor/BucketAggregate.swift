import Foundation

/// Which series a bucket belongs to.
public enum SeriesKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// Documents that count for one entity.
    case entity
    /// Documents of one topic.
    case topic
    /// Every document of the monitor (its series name is `*`).
    case overall
}

/// One bucket of one series: (kind, name, bucket start).
public struct BucketKey: Codable, Sendable, Hashable {
    public var kind: SeriesKind
    /// The entity or topic; `*` for the overall series.
    public var name: String
    /// The bucket's start (aligned by the monitor's `BucketWidth`).
    public var start: Date

    public init(kind: SeriesKind, name: String, start: Date) {
        self.kind = kind
        self.name = name
        self.start = start
    }

    /// The overall series' name.
    public static let overallName = "*"
}

/// Counts of one bucket of one series. Sums, so that late documents add to
/// their bucket and the repository can add deltas.
public struct BucketAggregate: Codable, Sendable, Equatable {
    public var key: BucketKey
    public var count: Int
    public var negative: Int
    public var neutral: Int
    public var positive: Int
    /// Sum of the documents' `sentimentScore`.
    public var scoreSum: Double

    public init(key: BucketKey, count: Int = 0, negative: Int = 0, neutral: Int = 0, positive: Int = 0, scoreSum: Double = 0) {
        self.key = key
        self.count = count
        self.negative = negative
        self.neutral = neutral
        self.positive = positive
        self.scoreSum = scoreSum
    }

    /// negative / count (0 for an empty bucket).
    public var negativeShare: Double { count > 0 ? Double(negative) / Double(count) : 0 }
    /// scoreSum / count (0 for an empty bucket).
    public var meanScore: Double { count > 0 ? scoreSum / Double(count) : 0 }

    /// Adds one document of `polarity` and `score`.
    public mutating func add(polarity: SentimentPolarity, score: Double) {
        count += 1
        switch polarity {
        case .negative: negative += 1
        case .neutral: neutral += 1
        case .positive: positive += 1
        }
        scoreSum += score
    }

    /// Adds another aggregate's counts (same key).
    public mutating func add(_ other: BucketAggregate) {
        count += other.count
        negative += other.negative
        neutral += other.neutral
        positive += other.positive
        scoreSum += other.scoreSum
    }

    enum CodingKeys: String, CodingKey {
        case kind, name, start, count, negative, neutral, positive
        case scoreSum = "score_sum", negativeShare = "negative_share", meanScore = "mean_score"
    }

    /// Flat JSON with the derived `negative_share` and `mean_score` beside the sums.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key.kind, forKey: .kind)
        try c.encode(key.name, forKey: .name)
        try c.encode(key.start, forKey: .start)
        try c.encode(count, forKey: .count)
        try c.encode(negative, forKey: .negative)
        try c.encode(neutral, forKey: .neutral)
        try c.encode(positive, forKey: .positive)
        try c.encode(scoreSum, forKey: .scoreSum)
        try c.encode(negativeShare, forKey: .negativeShare)
        try c.encode(meanScore, forKey: .meanScore)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = BucketKey(
            kind: try c.decode(SeriesKind.self, forKey: .kind), name: try c.decode(String.self, forKey: .name),
            start: try c.decode(Date.self, forKey: .start))
        count = try c.decode(Int.self, forKey: .count)
        negative = try c.decode(Int.self, forKey: .negative)
        neutral = try c.decode(Int.self, forKey: .neutral)
        positive = try c.decode(Int.self, forKey: .positive)
        scoreSum = try c.decode(Double.self, forKey: .scoreSum)
    }
}
