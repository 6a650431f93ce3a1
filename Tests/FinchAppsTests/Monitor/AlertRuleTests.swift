import FinchApps
import Foundation
import Testing

@Suite struct AlertRuleTests {
    func decode(_ json: String) throws -> AlertRule { try AlertRule.decodeValidated(from: Data(json.utf8)) }

    func field(of json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch let MonitorError.invalidRule(field, _) {
            return field
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func readsTheIssuesFieldsWithDefaults() throws {
        let rule = try decode(
            #"{"name": "neg surge", "entity": "Apple", "metric": "negative_share", "detector": "ewma_z", "halflife": 12, "z": 4, "min_count": 30, "cooldown": 3}"#
        )
        #expect(
            rule
                == AlertRule(
                    name: "neg surge", entity: "Apple", metric: .negativeShare, detector: .ewmaZ, halflife: 12, z: 4, minCount: 30,
                    cooldown: 3))
        let minimal = try decode(#"{"name": "v", "metric": "volume", "detector": "cusum"}"#)
        #expect(minimal.entity == "*" && minimal.halflife == 24 && minimal.z == 3 && minimal.minCount == 20 && minimal.cooldown == 6)
        #expect(minimal.cusumLimit == 5)
        // Round trip writes every field.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(rule)) as? [String: Any]
        #expect(
            Set(json?.keys.map { $0 } ?? []) == [
                "name", "entity", "metric", "detector", "halflife", "z", "threshold", "min_count", "cooldown",
            ])
        #expect(try JSONDecoder().decode(AlertRule.self, from: JSONEncoder().encode(rule)) == rule)
    }

    @Test func errorsNameTheField() {
        #expect(field(of: #"{"metric": "volume", "detector": "cusum"}"#) == "name")
        #expect(field(of: #"{"name": "", "metric": "volume", "detector": "cusum"}"#) == "name")
        #expect(field(of: #"{"name": "a/b", "metric": "volume", "detector": "cusum"}"#) == "name")
        #expect(field(of: #"{"name": "r", "detector": "cusum"}"#) == "metric")
        #expect(field(of: #"{"name": "r", "metric": "likes", "detector": "cusum"}"#) == "metric")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "arima"}"#) == "detector")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "cusum", "entity": " "}"#) == "entity")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "ewma_z", "halflife": 0}"#) == "halflife")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "ewma_z", "halflife": "long"}"#) == "halflife")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "ewma_z", "z": -1}"#) == "z")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "ewma_z", "min_count": -1}"#) == "min_count")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "ewma_z", "min_count": 2.5}"#) == "min_count")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "ewma_z", "cooldown": -2}"#) == "cooldown")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "threshold"}"#) == "threshold")
        #expect(field(of: #"{"name": "r", "metric": "negative_share", "detector": "threshold", "threshold": 1.5}"#) == "threshold")
        #expect(field(of: #"{"name": "r", "metric": "mean_score", "detector": "threshold", "threshold": -2}"#) == "threshold")
        #expect(field(of: #"{"name": "r", "metric": "volume", "detector": "cusum", "threshold": 0}"#) == "threshold")
        #expect(field(of: #"{"name": "r", "metric": "negative_share", "detector": "threshold", "threshold": 0.4}"#) == nil)
    }

    @Test func messageNamesTheField() {
        #expect(
            "\(MonitorError.invalidRule(field: "z", reason: "must be a number above 0"))"
                == "alert rule: field 'z': must be a number above 0")
    }
}
