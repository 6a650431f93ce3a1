import Foundation

/// Where one detector state lives: one rule on one entity series of one monitor.
public struct DetectorKey: Codable, Sendable, Hashable {
    public var monitor: String
    public var rule: String
    public var entity: String

    public init(monitor: String, rule: String, entity: String) {
        self.monitor = monitor
        self.rule = rule
        self.entity = entity
    }
}

/// What a detector remembers between buckets. Repositories store it as its
/// JSON encoding (one text column), so its fields may grow without a
/// migration: fields missing from stored JSON read as a fresh state's.
public struct DetectorState: Codable, Sendable, Equatable {
    /// The rule as it was when the state was built; a changed rule starts over.
    public var rule: AlertRule
    /// The start of the last bucket evaluated.
    public var lastBucket: Date?
    /// EWMA of the metric's value; for volume, of the level (value / season factors).
    public var mean: Double?
    /// EWMA variance of the value (volume: of the residual value − expected).
    public var variance: Double
    /// Shares: EWMA of 1 / count, to tell sampling noise from real variation.
    public var inverseCount: Double?
    /// Buckets learned from.
    public var observations: Int
    /// The one-sided CUSUM sum.
    public var cusum: Double
    /// Volume: 24 hour-of-day factors then 7 day-of-week factors (Monday first), each of mean 1.
    public var season: [Double]
    /// The start of the bucket of the last alert opened (for the cooldown).
    public var lastAlertBucket: Date?
    /// The id of the alert open now, if any.
    public var openAlert: String?

    public init(rule: AlertRule) {
        self.rule = rule
        lastBucket = nil
        mean = nil
        variance = 0
        inverseCount = nil
        observations = 0
        cusum = 0
        season = []
        lastAlertBucket = nil
        openAlert = nil
    }

    enum CodingKeys: String, CodingKey {
        case rule, lastBucket, mean, variance, inverseCount, observations, cusum, season, lastAlertBucket, openAlert
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rule: try c.decode(AlertRule.self, forKey: .rule))
        lastBucket = try c.decodeIfPresent(Date.self, forKey: .lastBucket)
        mean = try c.decodeIfPresent(Double.self, forKey: .mean)
        variance = try c.decodeIfPresent(Double.self, forKey: .variance) ?? 0
        inverseCount = try c.decodeIfPresent(Double.self, forKey: .inverseCount)
        observations = try c.decodeIfPresent(Int.self, forKey: .observations) ?? 0
        cusum = try c.decodeIfPresent(Double.self, forKey: .cusum) ?? 0
        season = try c.decodeIfPresent([Double].self, forKey: .season) ?? []
        lastAlertBucket = try c.decodeIfPresent(Date.self, forKey: .lastAlertBucket)
        openAlert = try c.decodeIfPresent(String.self, forKey: .openAlert)
    }
}
