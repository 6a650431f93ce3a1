import Foundation

/// What a rule watches in a series' buckets.
public enum AlertMetric: String, Codable, Sendable, CaseIterable {
    /// negative / count; alarms upward.
    case negativeShare = "negative_share"
    /// Documents per bucket; alarms upward.
    case volume
    /// Mean sentiment score in [−1, 1]; alarms downward (more negative).
    case meanScore = "mean_score"

    /// +1 when larger values are worse, −1 when smaller values are.
    public var badDirection: Double { self == .meanScore ? -1 : 1 }
}

/// How a rule decides that a bucket is unusual.
public enum DetectorKind: String, Codable, Sendable, CaseIterable {
    /// An EWMA baseline of mean and variance; alarms when the score exceeds `z`.
    case ewmaZ = "ewma_z"
    /// Alarms when the value crosses `threshold` (above it; below it for `mean_score`).
    case threshold
    /// One-sided CUSUM of standardized values over an EWMA baseline; alarms
    /// when the sum exceeds `threshold` (for slow drifts).
    case cusum
}

/// An alert rule as the API and `--rules` files write it:
/// `{"name", "entity": "*" | NAME, "metric", "detector", "halflife", "z",
/// "threshold", "min_count", "cooldown"}`. `halflife` and `cooldown` count
/// buckets. `entity` `*` applies the rule to every entity series separately;
/// a name applies it to that entity only.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    public var entity: String
    public var metric: AlertMetric
    public var detector: DetectorKind
    /// Buckets after which an observation's weight in the EWMA baseline halves.
    public var halflife: Double
    /// The score at which `ewma_z` alarms.
    public var z: Double
    /// The value at which `threshold` alarms; the decision interval h of `cusum` (default 5).
    public var threshold: Double?
    /// Buckets with fewer documents are neither alarmed on nor learned from.
    public var minCount: Int
    /// Buckets after an alert opens during which no new alert opens for the same rule and entity.
    public var cooldown: Int

    /// Every rule applies to every entity when its `entity` is this.
    public static let everyEntity = "*"

    public init(
        name: String, entity: String = AlertRule.everyEntity, metric: AlertMetric, detector: DetectorKind, halflife: Double = 24,
        z: Double = 3, threshold: Double? = nil, minCount: Int = 20, cooldown: Int = 6
    ) {
        self.name = name
        self.entity = entity
        self.metric = metric
        self.detector = detector
        self.halflife = halflife
        self.z = z
        self.threshold = threshold
        self.minCount = minCount
        self.cooldown = cooldown
    }

    /// Whether the rule covers the series of `entity`.
    public func applies(to entity: String) -> Bool { self.entity == Self.everyEntity || self.entity == entity }

    /// The CUSUM decision interval: `threshold`, or 5 when not given.
    public var cusumLimit: Double { threshold ?? 5 }

    /// Throws `invalidRule` naming the first field that does not hold.
    public func validate() throws(MonitorError) {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_. "))
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidRule(field: "name", reason: "empty") }
        guard name.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            throw .invalidRule(field: "name", reason: "use letters, digits, spaces, '-', '_' or '.'")
        }
        guard !entity.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidRule(field: "entity", reason: "empty (use \"*\" for every entity)")
        }
        guard halflife.isFinite, halflife > 0 else { throw .invalidRule(field: "halflife", reason: "must be a number above 0") }
        guard z.isFinite, z > 0 else { throw .invalidRule(field: "z", reason: "must be a number above 0") }
        guard minCount >= 0 else { throw .invalidRule(field: "min_count", reason: "must be 0 or more") }
        guard cooldown >= 0 else { throw .invalidRule(field: "cooldown", reason: "must be 0 or more") }
        switch detector {
        case .threshold:
            guard let t = threshold else { throw .invalidRule(field: "threshold", reason: "required by the threshold detector") }
            guard t.isFinite else { throw .invalidRule(field: "threshold", reason: "must be a finite number") }
            switch metric {
            case .negativeShare:
                guard (0...1).contains(t) else { throw .invalidRule(field: "threshold", reason: "a share lies in [0, 1]") }
            case .volume:
                guard t >= 0 else { throw .invalidRule(field: "threshold", reason: "a volume is 0 or more") }
            case .meanScore:
                guard (-1...1).contains(t) else { throw .invalidRule(field: "threshold", reason: "a mean score lies in [-1, 1]") }
            }
        case .cusum:
            if let t = threshold, !(t.isFinite && t > 0) {
                throw .invalidRule(field: "threshold", reason: "the CUSUM limit must be above 0")
            }
        case .ewmaZ:
            break
        }
    }
}
