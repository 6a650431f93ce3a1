import FinchApps
import Foundation

/// Reads `--rules`: a JSON array of rules (or one rule object), each validated.
enum ReplayRules {
    static func read(_ url: URL) throws -> [AlertRule] {
        let name = url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw MonitorReplayFailure("\(name): cannot read the rules") }
        let items: [Any]
        do {
            let json = try JSONSerialization.jsonObject(with: data)
            items = (json as? [Any]) ?? [json]
        } catch {
            throw MonitorReplayFailure("\(name): not JSON")
        }
        guard !items.isEmpty else { throw MonitorReplayFailure("\(name): no rules") }
        var out: [AlertRule] = []
        for (i, item) in items.enumerated() {
            guard JSONSerialization.isValidJSONObject(item), item is [String: Any] else {
                throw MonitorReplayFailure("\(name): rule \(i + 1): not a JSON object")
            }
            do {
                let rule = try AlertRule.decodeValidated(from: try JSONSerialization.data(withJSONObject: item))
                guard !out.contains(where: { $0.name == rule.name }) else {
                    throw MonitorError.invalidRule(field: "name", reason: "'\(rule.name)' is used by an earlier rule")
                }
                out.append(rule)
            } catch let error as MonitorError {
                throw MonitorReplayFailure("\(name): rule \(i + 1): \(error)")
            }
        }
        return out
    }
}

/// Label → polarity for replay's classifier.
enum ReplayPolarity {
    /// `negative` labels are negative; the others keep the polarity their name
    /// suggests, else are positive (two labels) or neutral (more).
    static func map(labels: [String], negative: [String], classifier: String) -> [String: SentimentPolarity] {
        var out: [String: SentimentPolarity] = [:]
        guard !negative.isEmpty else { return out }
        for label in labels {
            if negative.contains(label) {
                out[label] = .negative
            } else if let guess = SentimentPolarity.guess(label: label), guess != .negative {
                out[label] = guess
            } else {
                out[label] = labels.count == 2 ? .positive : .neutral
            }
        }
        return out
    }
}
