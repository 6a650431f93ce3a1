import Foundation
import Testing

@testable import FinchTrain

@Suite struct ClassificationReportTests {
    static func fixture() throws -> MetricFixture<ClassificationCase> { try MetricFixture<ClassificationCase>.load("classification.json") }

    @Test func fixtureRecordsItsOrigin() throws {
        let meta = try Self.fixture().meta
        #expect(meta["scikit-learn"] != nil && meta["seed"] != nil && meta["numpy"] != nil)
        #expect(try Self.fixture().cases.count >= 20)
    }

    @Test(arguments: MetricFixture<ClassificationCase>.caseNames("classification.json"))
    func numbersAndTextEqualScikitLearn(_ name: String) throws {
        let c = try #require(try Self.fixture().cases.first { $0.name == name })
        let report = ClassificationReport(
            truth: c.y_true, predicted: c.y_pred, labels: c.labels, zeroDivision: c.zero_division)
        #expect(report.labels == c.row_labels)
        #expect(report.scores.count == c.per_label.count)
        for (i, row) in c.per_label.enumerated() {
            #expect(row.matches(report.scores[i]), "\(name) \(c.row_labels[i]): \(report.scores[i])")
        }
        if case .accuracy(let a)? = c.rows["accuracy"] {
            #expect(report.microIsAccuracy)
            #expect(report.micro.f1 == a)
        } else if case .row(let micro)? = c.rows["micro avg"] {
            #expect(!report.microIsAccuracy)
            #expect(micro.matches(report.micro), "\(name) micro: \(report.micro)")
        } else {
            Issue.record("\(name): fixture has no micro row")
        }
        if case .row(let macro)? = c.rows["macro avg"] { #expect(macro.matches(report.macro), "\(name) macro: \(report.macro)") }
        if case .row(let w)? = c.rows["weighted avg"] { #expect(w.matches(report.weighted), "\(name) weighted: \(report.weighted)") }
        #expect(report.accuracy == c.accuracy_score)
        #expect(report.text(digits: c.digits) == c.report)
        let matrix = ConfusionMatrix(truth: c.y_true, predicted: c.y_pred, labels: c.row_labels)
        #expect(matrix.counts == c.confusion_matrix)
    }

    @Test func aModelsReportListsOnlyTheLabelsPresentAsScikitLearnDoes() throws {
        // A three-label model evaluated on a file that holds two of its labels (issue: the third
        // printed with support 0 and made the macro average 0.67).
        let c = try #require(try Self.fixture().cases.first { $0.name == "two_labels_of_a_three_label_model" })
        let labels = LabelSet(orderedLabels: try #require(c.model_labels))
        let truth = c.y_true.map { labels.id(of: $0)! }, predicted = c.y_pred.map { labels.id(of: $0)! }
        let report = TextClassificationTask.report(truth: truth, predicted: predicted, labels: labels)
        #expect(report.labels == c.row_labels)
        #expect(report.labels == ["a", "b"])
        #expect(report.macro.f1 == 1)
        #expect(report.text(digits: c.digits) == c.report)
    }

    @Test func defaultDigitsAreTwo() throws {
        let c = try #require(try Self.fixture().cases.first { $0.name == "multiclass_rotten_tomatoes" })
        let report = ClassificationReport(truth: c.y_true, predicted: c.y_pred)
        #expect(report.text() == c.report)
        #expect(report.text().hasPrefix("              precision    recall  f1-score   support\n\n"))
    }

    @Test func handComputedExample() {
        // truth a a b b c, predicted a b b b a: a P=1/2 R=1/2, b P=2/3 R=1, c P=0 (never predicted) R=0.
        let r = ClassificationReport(truth: ["a", "a", "b", "b", "c"], predicted: ["a", "b", "b", "b", "a"])
        #expect(r["a"] == LabelScores(precision: 0.5, recall: 0.5, f1: 0.5, support: 2))
        #expect(r["b"] == LabelScores(precision: 2.0 / 3.0, recall: 1, f1: 0.8, support: 2))
        #expect(r["c"] == LabelScores(precision: 0, recall: 0, f1: 0, support: 1))
        #expect(r.accuracy == 0.6)
        #expect(abs(r.macro.f1 - 1.3 / 3) < 1e-15)
        #expect(abs(r.weighted.f1 - (0.5 * 2 + 0.8 * 2) / 5) < 1e-15)
    }

    @Test func evaluationJSONHasTheDocumentedShape() throws {
        let r = ClassificationReport(truth: ["pos", "neg", "pos"], predicted: ["pos", "pos", "pos"])
        let json = try r.evaluation.jsonString()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["accuracy", "macro_f1", "weighted_f1", "labels"])
        let labels = try #require(object["labels"] as? [String: [String: Any]])
        #expect(Set(labels.keys) == ["pos", "neg"])
        #expect(Set(labels["pos"]!.keys) == ["precision", "recall", "f1", "support"])
        #expect(labels["pos"]!["support"] as? Int == 2)
        #expect((object["accuracy"] as? Double).map { abs($0 - 2.0 / 3.0) < 1e-15 } == true)
        let back = try JSONDecoder().decode(ClassificationEvaluation.self, from: Data(json.utf8))
        #expect(back == r.evaluation)
        // NaN scores (zero_division nan) become null rather than invalid JSON.
        let nan = ClassificationReport(truth: ["a", "a"], predicted: ["a", "b"], zeroDivision: .nan)
        let text = try nan.evaluation.jsonString()
        #expect(text.contains("\"recall\":null"))  // b: never true
        #expect(try JSONDecoder().decode(ClassificationEvaluation.self, from: Data(text.utf8)).labels["b"]!.recall.isNaN)
    }

    @Test func confusionMatrixText() {
        let m = ConfusionMatrix(truth: ["fresh", "fresh", "rotten", "plot"], predicted: ["fresh", "rotten", "rotten", "fresh"])
        #expect(m.labels == ["fresh", "plot", "rotten"])
        #expect(m.counts == [[1, 0, 1], [1, 0, 0], [0, 0, 1]])
        #expect(m.count(true: "fresh", predicted: "rotten") == 1)
        #expect(
            m.text() == """
                true \\ predicted  fresh  plot  rotten
                           fresh      1     0       1
                            plot      1     0       0
                          rotten      0     0       1

                """)
    }
}

@Suite struct MultiLabelReportTests {
    static func fixture() throws -> MetricFixture<MultiLabelCase> { try MetricFixture<MultiLabelCase>.load("multilabel.json") }

    @Test(arguments: MetricFixture<MultiLabelCase>.caseNames("multilabel.json"))
    func numbersAndTextEqualScikitLearn(_ name: String) throws {
        let c = try #require(try Self.fixture().cases.first { $0.name == name })
        let report = MultiLabelClassificationReport(
            truth: c.y_true.map { $0.map { $0 == 1 } }, predicted: c.y_pred.map { $0.map { $0 == 1 } },
            labels: c.labels, zeroDivision: c.zero_division)
        for (i, row) in c.per_label.enumerated() { #expect(row.matches(report.scores[i]), "\(name) \(c.labels[i])") }
        #expect(c.rows["micro avg"]!.matches(report.micro))
        #expect(c.rows["macro avg"]!.matches(report.macro))
        #expect(c.rows["weighted avg"]!.matches(report.weighted))
        #expect(c.rows["samples avg"]!.matches(report.samples), "\(name) samples: \(report.samples)")
        #expect(report.subsetAccuracy == c.accuracy_score)
        #expect(report.text(digits: c.digits) == c.report)
    }
}
