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
/// JSON encoding (one text column), so its fields may grow without a migration.
public struct DetectorState: Codable, Sendable, Equatable {
    /// The rule as it was when the state was built; a changed rule starts over.
    public var rule: AlertRule
    /// The start of the last bucket evaluated.
    public var lastBucket: Date?
    /// EWMA of the metric's value (or, for volume, of the level: value / season factor).
    public var mean: Double?
    /// EWMA of the squared deviation from `mean`.
    public var variance: Double
    /// Buckets learned from.
    public var observations: Int
    /// The one-sided CUSUM sum.
    public var cusum: Double
    /// Volume only: EWMA of value / level per season slot (`BucketWidth.seasonSlots`), 1 when unseen.
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
        observations = 0
        cusum = 0
        season = []
        lastAlertBucket = nil
        openAlert = nil
    }
}
