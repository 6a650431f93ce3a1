import Foundation
import Testing

@testable import FinchTrain

@Suite struct EntityReportTests {
    static func fixture() throws -> MetricFixture<EntityCase> { try MetricFixture<EntityCase>.load("entities.json") }

    @Test func fixtureRecordsItsOrigin() throws {
        let meta = try Self.fixture().meta
        #expect(meta["seqeval"] == "1.2.2")
        #expect(meta["seed"] != nil)
    }

    @Test(arguments: MetricFixture<EntityCase>.caseNames("entities.json"))
    func numbersAndTextEqualSeqeval(_ name: String) throws {
        let c = try #require(try Self.fixture().cases.first { $0.name == name })
        #expect(EntityChunker.entities(in: c.y_true, suffix: c.suffix) == c.entities_true.map(\.entity))
        #expect(EntityChunker.entities(in: c.y_pred, suffix: c.suffix) == c.entities_pred.map(\.entity))
        let report = EntityReport(truth: c.y_true, predicted: c.y_pred, zeroDivision: c.zero_division, suffix: c.suffix)
        #expect(report.types == c.types)
        for (i, row) in c.per_type.enumerated() {
            #expect(row.matches(report.scores[i]), "\(name) \(c.types[i]): \(report.scores[i])")
        }
        #expect(c.rows["micro avg"]!.matches(report.micro), "\(name) micro: \(report.micro)")
        #expect(c.rows["macro avg"]!.matches(report.macro), "\(name) macro: \(report.macro)")
        #expect(c.rows["weighted avg"]!.matches(report.weighted), "\(name) weighted: \(report.weighted)")
        if let text = c.report {
            #expect(report.text(digits: c.digits) == text)
        } else {
            #expect(c.report_error != nil, "\(name): no report and no reason recorded")
        }
    }

    @Test func handComputedExample() {
        // seqeval's docstring: MISC predicted one token too early, PER right.
        let truth = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
        let predicted = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
        let r = EntityReport(truth: truth, predicted: predicted)
        #expect(r.types == ["MISC", "PER"])
        #expect(r["MISC"] == LabelScores(precision: 0, recall: 0, f1: 0, support: 1))
        #expect(r["PER"] == LabelScores(precision: 1, recall: 1, f1: 1, support: 1))
        #expect(r.micro == LabelScores(precision: 0.5, recall: 0.5, f1: 0.5, support: 2))
        #expect(
            EntityChunker.entities(in: ["B-PER", "I-PER", "O", "B-LOC"]) == [
                Entity(type: "PER", start: 0, end: 1), Entity(type: "LOC", start: 3, end: 3),
            ])
    }

    @Test func evaluationJSONHasTheDocumentedShape() throws {
        let r = EntityReport(truth: [["B-PER", "I-PER", "O", "B-LOC"]], predicted: [["B-PER", "I-PER", "O", "O"]])
        let json = try r.evaluation.jsonString()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["precision", "recall", "f1", "labels"])
        #expect(object["precision"] as? Double == 1)
        #expect(object["recall"] as? Double == 0.5)
        let labels = try #require(object["labels"] as? [String: [String: Any]])
        #expect(labels["LOC"]?["support"] as? Int == 1)
        #expect(labels["LOC"]?["recall"] as? Double == 0)
        #expect(try JSONDecoder().decode(EntityEvaluation.self, from: Data(json.utf8)) == r.evaluation)
    }

    @Test func noEntitiesAtAll() throws {
        // The numbers are seqeval's (fixture case `no_entities_at_all`). seqeval 1.2.2 has no report
        // text here: its classification_report raises "max() arg is an empty sequence", as the fixture
        // records. Finch prints the header and the three average rows in seqeval's layout instead.
        let c = try #require(try Self.fixture().cases.first { $0.name == "no_entities_at_all" })
        #expect(c.report == nil && c.report_error == "ValueError: max() arg is an empty sequence")
        let r = EntityReport(truth: c.y_true, predicted: c.y_pred)
        #expect(r.types.isEmpty)
        #expect(c.rows["micro avg"]!.matches(r.micro) && c.rows["macro avg"]!.matches(r.macro))
        #expect(c.rows["weighted avg"]!.matches(r.weighted))
        #expect(
            r.text() == """
                              precision    recall  f1-score   support


                   micro avg       0.00      0.00      0.00         0
                   macro avg        nan       nan       nan         0
                weighted avg       0.00      0.00      0.00         0

                """)
    }
}
