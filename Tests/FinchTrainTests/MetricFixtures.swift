import FinchTestSupport
import Foundation

@testable import FinchTrain

/// Cases written by Scripts/make_metric_fixtures.py (scikit-learn and seqeval).
struct MetricFixture<Case: Decodable & Sendable & Named>: Decodable, Sendable {
    let meta: [String: String]
    let cases: [Case]

    static func load(_ name: String) throws -> MetricFixture {
        let data = try Data(contentsOf: TestSupport.fixtureURL("metrics/\(name)"))
        return try JSONDecoder().decode(MetricFixture.self, from: data)
    }

    /// The case names, for parameterized tests; a fixture that fails to load
    /// yields one name that no case has, so the test fails rather than vanishes.
    static func caseNames(_ name: String) -> [String] {
        do { return try load(name).cases.map(\.name) } catch { return ["\(name) did not load: \(error)"] }
    }
}

/// A fixture case with a name.
protocol Named { var name: String { get } }

/// A score row `[precision, recall, f1, support]`; null scores mean NaN.
struct FixtureRow: Decodable, Sendable {
    let precision: Double
    let recall: Double
    let f1: Double
    let support: Int

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        precision = try c.decode(Double?.self) ?? .nan
        recall = try c.decode(Double?.self) ?? .nan
        f1 = try c.decode(Double?.self) ?? .nan
        support = try c.decode(Int.self)
    }

    /// Exact equality, NaN equal to NaN: the Swift arithmetic follows NumPy's
    /// order of operations, so not even the last bit may differ.
    func matches(_ s: LabelScores) -> Bool {
        same(precision, s.precision) && same(recall, s.recall) && same(f1, s.f1) && support == s.support
    }
}

func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

/// The micro row of a classification report is either a number
/// (`accuracy`) or a full row.
enum FixtureAverage: Decodable, Sendable {
    case accuracy(Double)
    case row(FixtureRow)
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        do { self = .accuracy(try c.decode(Double.self)) } catch DecodingError.typeMismatch {
            self = .row(try c.decode(FixtureRow.self))
        }
    }
}

struct ClassificationCase: Decodable, Sendable, Named {
    let name: String
    let y_true: [String]
    let y_pred: [String]
    let labels: [String]?
    let digits: Int
    let zero_division: ZeroDivision
    let report: String
    let row_labels: [String]
    let per_label: [FixtureRow]
    let rows: [String: FixtureAverage]
    let accuracy_score: Double
    let confusion_matrix: [[Int]]
    /// The labels of the model that made `y_pred`, where the case is about them.
    let model_labels: [String]?
}

struct MultiLabelCase: Decodable, Sendable, Named {
    let name: String
    let y_true: [[Int]]
    let y_pred: [[Int]]
    let labels: [String]
    let digits: Int
    let zero_division: ZeroDivision
    let report: String
    let per_label: [FixtureRow]
    let rows: [String: FixtureRow]
    let accuracy_score: Double
}

struct EntityCase: Decodable, Sendable, Named {
    let name: String
    let y_true: [[String]]
    let y_pred: [[String]]
    let digits: Int
    let zero_division: ZeroDivision
    let suffix: Bool
    /// seqeval's report, or nil where seqeval cannot write one (`report_error` says why).
    let report: String?
    let report_error: String?
    let types: [String]
    let per_type: [FixtureRow]
    let rows: [String: FixtureRow]
    let entities_true: [FixtureEntity]
    let entities_pred: [FixtureEntity]
}

/// seqeval's `(type, start, end)` triple.
struct FixtureEntity: Decodable, Equatable, Sendable {
    let entity: Entity
    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        entity = Entity(type: try c.decode(String.self), start: try c.decode(Int.self), end: try c.decode(Int.self))
    }
}
