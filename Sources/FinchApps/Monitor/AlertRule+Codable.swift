import Foundation

extension AlertRule: Codable {
    enum CodingKeys: String, CodingKey {
        case name, entity, metric, detector, halflife, z, threshold, cooldown
        case minCount = "min_count"
    }

    /// Reads a rule; a missing required field, a wrong type or an unknown
    /// metric or detector throws `MonitorError.invalidRule` naming the field.
    /// Only `name`, `metric` and `detector` are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func field<T: Decodable>(_ type: T.Type, _ key: CodingKeys, _ what: String) throws -> T? {
            do {
                return try c.decodeIfPresent(type, forKey: key)
            } catch is DecodingError {
                throw MonitorError.invalidRule(field: key.stringValue, reason: "must be \(what)")
            }
        }
        // Read as a number and checked, since Int decoding of 2.5 fails without naming the key.
        func whole(_ key: CodingKeys) throws -> Int? {
            guard let d = try field(Double.self, key, "a whole number") else { return nil }
            guard d.rounded() == d, abs(d) < 1e15 else {
                throw MonitorError.invalidRule(field: key.stringValue, reason: "must be a whole number")
            }
            return Int(d)
        }
        guard let name = try field(String.self, .name, "a string") else { throw MonitorError.invalidRule(field: "name", reason: "missing") }
        guard let metricText = try field(String.self, .metric, "a string") else {
            throw MonitorError.invalidRule(field: "metric", reason: "missing")
        }
        guard let metric = AlertMetric(rawValue: metricText) else {
            throw MonitorError.invalidRule(field: "metric", reason: "'\(metricText)' is not negative_share, volume or mean_score")
        }
        guard let detectorText = try field(String.self, .detector, "a string") else {
            throw MonitorError.invalidRule(field: "detector", reason: "missing")
        }
        guard let detector = DetectorKind(rawValue: detectorText) else {
            throw MonitorError.invalidRule(field: "detector", reason: "'\(detectorText)' is not ewma_z, threshold or cusum")
        }
        let defaults = AlertRule(name: name, metric: metric, detector: detector)
        self.init(
            name: name, entity: try field(String.self, .entity, "a string") ?? defaults.entity, metric: metric, detector: detector,
            halflife: try field(Double.self, .halflife, "a number") ?? defaults.halflife,
            z: try field(Double.self, .z, "a number") ?? defaults.z,
            threshold: try field(Double.self, .threshold, "a number"),
            minCount: try whole(.minCount) ?? defaults.minCount, cooldown: try whole(.cooldown) ?? defaults.cooldown)
    }

    /// Every field is written (`threshold` null when not set).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(entity, forKey: .entity)
        try c.encode(metric, forKey: .metric)
        try c.encode(detector, forKey: .detector)
        try c.encode(halflife, forKey: .halflife)
        try c.encode(z, forKey: .z)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(minCount, forKey: .minCount)
        try c.encode(cooldown, forKey: .cooldown)
    }

    /// Reads and validates a rule from JSON.
    public static func decodeValidated(from data: Data) throws -> AlertRule {
        let rule = try JSONDecoder().decode(AlertRule.self, from: data)
        try rule.validate()
        return rule
    }
}
