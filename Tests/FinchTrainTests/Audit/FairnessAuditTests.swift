import FinchTestSupport
import Foundation
import Testing

@testable import FinchTrain

/// A case of Tests/Fixtures/fairness/fairlearn.json (Scripts/make_fairness_fixtures.py, Fairlearn 0.15).
struct FairlearnCase: Decodable, Sendable {
    let name: String
    let positive_label: String
    let labels: [String]
    let predictions: [String]
    let groups: [String]
    let counts: [String: Int]
    let by_group: [String: [String: Double]]
    let overall: [String: Double]
    let demographic_parity_difference: Double
    let demographic_parity_ratio: Double?
    let equalized_odds_difference: Double

    static func all() throws -> [FairlearnCase] {
        struct File: Decodable { let cases: [FairlearnCase] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: TestSupport.fixtureURL("fairness/fairlearn.json"))).cases
    }

    static func names() -> [String] {
        do { return try all().map(\.name) } catch { return ["fairness fixture did not load: \(error)"] }
    }
}

/// The audit's numbers equal Fairlearn's MetricFrame and its difference/ratio
/// functions on the same predictions, including a group with one member,
/// a group without positives and a ratio of 0/0.
@Suite struct FairnessAuditTests {
    static func metrics(_ m: GroupMetrics) -> [String: Double] {
        [
            "accuracy": m.accuracy, "precision": m.precision, "recall": m.recall, "selection_rate": m.selectionRate,
            "false_positive_rate": m.falsePositiveRate, "false_negative_rate": m.falseNegativeRate,
        ]
    }

    @Test(arguments: FairlearnCase.names())
    func equalsFairlearn(_ name: String) throws {
        let c = try #require(try FairlearnCase.all().first { $0.name == name })
        let audit = FairnessAudit(labels: c.labels, predictions: c.predictions, groups: c.groups, positiveLabel: c.positive_label)
        #expect(audit.groups.map(\.group) == c.counts.keys.sorted())
        #expect(audit.groups.map(\.count) == c.counts.keys.sorted().map { c.counts[$0]! })
        #expect(audit.overall.count == c.labels.count)
        for (metric, expected) in c.overall {
            let got = try #require(Self.metrics(audit.overall)[metric])
            #expect(abs(got - expected) < 1e-12, "overall \(metric): \(got) vs \(expected)")
        }
        for group in audit.groups {
            for (metric, values) in c.by_group {
                let expected = try #require(values[group.group])
                let got = try #require(Self.metrics(group)[metric])
                #expect(abs(got - expected) < 1e-12, "\(group.group) \(metric): \(got) vs \(expected)")
            }
        }
        #expect(abs(audit.demographicParityDifference - c.demographic_parity_difference) < 1e-12)
        #expect(abs(audit.equalizedOddsDifference - c.equalized_odds_difference) < 1e-12)
        if let ratio = c.demographic_parity_ratio {
            let got = try #require(audit.demographicParityRatio)
            #expect(abs(got - ratio) < 1e-12)
        } else {
            #expect(audit.demographicParityRatio == nil)
        }
    }

    @Test func fixtureHasASingletonGroup() throws {
        #expect(try FairlearnCase.all().contains { $0.counts.values.contains(1) })
    }

    @Test func jsonAndReport() throws {
        let audit = FairnessAudit(
            labels: ["1", "0", "1", "0"], predictions: ["0", "0", "0", "0"], groups: ["a", "a", "b", "b"], positiveLabel: "1",
            sensitiveFeature: "age_band")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try audit.json().utf8)) as? [String: Any])
        #expect(object["demographic_parity_ratio"] is NSNull)
        #expect(object["sensitive_feature"] as? String == "age_band")
        #expect((object["groups"] as? [[String: Any]])?.count == 2)
        let decoded = try JSONDecoder().decode(FairnessAudit.self, from: Data(try audit.json().utf8))
        #expect(decoded == audit)
        #expect(audit.report.contains("Fairness audit by age_band (positive label: 1)"))
        #expect(audit.report.contains("undefined (no group selected)"))
        #expect(audit.report.split(separator: "\n").contains { $0.hasPrefix("overall") && $0.contains("0.5000") })
    }
}
