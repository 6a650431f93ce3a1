import FinchTestSupport
import Foundation
import Testing

@testable import FinchTrain

/// Cases written by Scripts/make_classical_fixtures.py (scikit-learn, tight tolerances).
struct ClassicalFixture: Decodable {
    struct Matrix: Decodable {
        let kind: String
        let rows: [[Double]]?
        let columns: Int?
        let indptr: [Int]?
        let indices: [Int32]?
        let data: [Double]?

        var features: FeatureMatrix {
            if kind == "dense" { return FeatureMatrix(rows: rows!) }
            return .sparse(
                SparseMatrix(
                    rowCount: indptr!.count - 1, columnCount: columns!, rowStarts: indptr!, columns: indices!, values: data!))
        }
    }
    struct Model: Decodable {
        let kind: String
        let C: Double?
        let k: Int?
        let weights: String?
        let alpha: Double?
        let coef: JSONNumbers?
        let intercept: JSONNumbers?
        let predict: [Double]
        let proba: [[Double]]?
        let decision: [[Double]]?
        let neighbors: [[Int]]?
        let distances: [[Double]]?
    }
    struct Case: Decodable {
        let name: String
        let train: Matrix
        let labels: [Int]
        let test: Matrix
        let targets: [Double]?
        let models: [Model]
    }
    let meta: [String: String]
    let cases: [Case]

    static func load() throws -> ClassicalFixture {
        try JSONDecoder().decode(ClassicalFixture.self, from: Data(contentsOf: TestSupport.fixtureURL("classical/models.json")))
    }

    static var caseNames: [String] {
        do { return try load().cases.map(\.name) } catch { return ["models.json did not load: \(error)"] }
    }
}

/// A number or a (nested) list of numbers, flattened.
struct JSONNumbers: Decodable {
    let values: [Double]

    init(from decoder: Decoder) throws {
        if let v = try? decoder.singleValueContainer().decode(Double.self) {
            values = [v]
        } else if let v = try? decoder.singleValueContainer().decode([Double].self) {
            values = v
        } else {
            values = try decoder.singleValueContainer().decode([[Double]].self).flatMap { $0 }
        }
    }
}

@Suite struct ClassicalModelTests {
    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
    }

    static func reference(_ name: String) throws -> ClassicalFixture.Case {
        try #require(try ClassicalFixture.load().cases.first { $0.name == name })
    }

    /// Coefficients within 1e-6 of scikit-learn's tight fit (both solvers stop at gradient ~1e-10 of a
    /// problem with curvature ~1/C; 1e-6 leaves room for the conditioning), predictions equal.
    @Test(arguments: ClassicalFixture.caseNames)
    func logisticRegressionMatchesScikitLearn(_ name: String) throws {
        let c = try Self.reference(name)
        let classes = Set(c.labels).count
        for m in c.models where m.kind == "logistic" {
            var lr = LogisticRegression()
            lr.c = m.C!
            lr.tolerance = 1e-10
            lr.maxIterations = 10_000
            let fit = try lr.fit(c.train.features, labels: c.labels, classCount: classes)
            #expect(fit.converged, "C=\(m.C!): not converged after \(fit.iterations) iterations")
            let coef = Self.maxDifference(fit.model.coefficients.flatMap { $0 }, m.coef!.values)
            let intercept = Self.maxDifference(fit.model.intercepts, m.intercept!.values)
            #expect(coef <= 1e-6 && intercept <= 1e-6, "C=\(m.C!): coef off by \(coef), intercept by \(intercept)")
            #expect(try fit.model.predict(c.test.features) == m.predict.map { Int($0) })
            let proba = try LogisticRegression.probabilities(fit.model, c.test.features)
            #expect(Self.maxDifference(proba.flatMap { $0 }, m.proba!.flatMap { $0 }) <= 1e-6)
        }
    }

    /// Coefficients within 1e-5 of liblinear's tight fit (dual coordinate descent stops on the projected
    /// gradient's spread, 1e-10 on both sides; the primal weights then agree to ~1e-6), predictions equal.
    @Test(arguments: ClassicalFixture.caseNames)
    func linearSVCMatchesScikitLearn(_ name: String) throws {
        let c = try Self.reference(name)
        let classes = Set(c.labels).count
        for m in c.models where m.kind == "svm" {
            var svm = LinearSVC()
            svm.c = m.C!
            svm.tolerance = 1e-10
            svm.maxIterations = 1_000_000
            let fit = try svm.fit(c.train.features, labels: c.labels, classCount: classes)
            #expect(fit.converged)
            let coef = Self.maxDifference(fit.model.coefficients.flatMap { $0 }, m.coef!.values)
            let intercept = Self.maxDifference(fit.model.intercepts, m.intercept!.values)
            #expect(coef <= 1e-5 && intercept <= 1e-5, "C=\(m.C!): coef off by \(coef), intercept by \(intercept)")
            #expect(try fit.model.predict(c.test.features) == m.predict.map { Int($0) })
            let decision = try fit.model.decisionFunction(c.test.features).flatMap { $0 }
            #expect(Self.maxDifference(decision, m.decision!.flatMap { $0 }) <= 1e-5)
        }
    }

    /// Exact: the same neighbours (equal distances in index order), distances to 1e-12, votes and predictions equal.
    @Test(arguments: ClassicalFixture.caseNames)
    func nearestNeighborsMatchScikitLearn(_ name: String) throws {
        let c = try Self.reference(name)
        let classes = Set(c.labels).count
        for m in c.models where m.kind == "knn" {
            let knn = try KNeighborsClassifier(
                fitting: c.train.features, labels: c.labels, classCount: classes, neighborCount: m.k!,
                weighting: KNeighborsClassifier.Weighting(rawValue: m.weights!)!)
            let near = try knn.neighbors(c.test.features)
            for (i, row) in near.enumerated() {
                #expect(Self.maxDifference(row.map(\.distance), m.distances![i]) <= 1e-12, "k=\(m.k!) query \(i)")
                // Distances equal to rounding are one tie: order them by index, as the reference lists them.
                let ordered = row.sorted { a, b in
                    Swift.abs(a.distance - b.distance) <= 1e-12 ? a.index < b.index : a.distance < b.distance
                }
                #expect(ordered.map(\.index) == m.neighbors![i], "k=\(m.k!) query \(i)")
            }
            #expect(try knn.predict(c.test.features) == m.predict.map { Int($0) }, "k=\(m.k!) \(m.weights!)")
            let proba = try knn.probabilities(c.test.features).flatMap { $0 }
            #expect(Self.maxDifference(proba, m.proba!.flatMap { $0 }) <= 1e-12)
        }
    }

    /// Closed form: coefficients and predictions within 1e-9 of scikit-learn's Ridge (cholesky) and LinearRegression.
    @Test func ridgeAndLeastSquaresMatchScikitLearn() throws {
        for name in ["dense3", "dense2"] {
            let c = try Self.reference(name)
            let targets = try #require(c.targets)
            for m in c.models where m.kind == "ridge" {
                var ridge = RidgeRegression()
                ridge.alpha = m.alpha!
                let model = try ridge.fit(c.train.features, targets: targets)
                #expect(Self.maxDifference(model.coefficients, m.coef!.values) <= 1e-9, "\(name) alpha \(m.alpha!)")
                #expect(Swift.abs(model.intercept - m.intercept!.values[0]) <= 1e-9)
                #expect(Self.maxDifference(try model.predict(c.test.features), m.predict) <= 1e-9)
            }
        }
    }

    @Test func uniformVoteTiesPickTheSmallerClassAndDistanceZeroOutvotesTheRest() throws {
        // Query [1, 0]: two neighbours of class 1 and two of class 0 at the same angles.
        let train = FeatureMatrix(rows: [[1, 0.1], [1, -0.1], [1, 0.2], [1, -0.2], [1, 0]])
        let tie = try KNeighborsClassifier(fitting: train, labels: [1, 1, 0, 0, 1], classCount: 2, neighborCount: 4)
        #expect(try tie.predict(FeatureMatrix(rows: [[2, 0]])) == [1])  // 3 of class 1 among the 4 nearest
        let even = try KNeighborsClassifier(fitting: train, labels: [1, 0, 0, 1, 0], classCount: 2, neighborCount: 2)
        // Nearest: row 4 (class 0, distance 0), then rows 0 and 1 tie — row 0 (class 1) is earlier.
        #expect(try even.neighbors(FeatureMatrix(rows: [[1, 0]]))[0].map(\.index) == [4, 0])
        #expect(try even.predict(FeatureMatrix(rows: [[1, 0]])) == [0])  // one vote each: the smaller class
        let weighted = try KNeighborsClassifier(
            fitting: train, labels: [1, 1, 1, 1, 0], classCount: 2, neighborCount: 5, weighting: .distance)
        #expect(try weighted.probabilities(FeatureMatrix(rows: [[3, 0]])) == [[1, 0]])  // only the exact match votes
    }

    @Test func invalidSettingsAreErrors() throws {
        let x = FeatureMatrix(rows: [[1, 0], [0, 1]])
        var lr = LogisticRegression()
        lr.c = 0
        #expect(throws: ClassicalError.self) { try lr.fit(x, labels: [0, 1], classCount: 2) }
        #expect(throws: ClassicalError.self) { try LogisticRegression().fit(x, labels: [0, 0], classCount: 1) }
        #expect(throws: ClassicalError.self) { try KNeighborsClassifier(fitting: x, labels: [0, 1], classCount: 2, neighborCount: 3) }
        var ols = RidgeRegression()
        ols.alpha = 0
        #expect(throws: ClassicalError.self) { try ols.fit(FeatureMatrix(rows: [[1, 2], [2, 4], [3, 6]]), targets: [1, 2, 3]) }
        let model = try LogisticRegression().fit(x, labels: [0, 1], classCount: 2).model
        #expect(throws: ClassicalError.featureCountMismatch(expected: 2, found: 3)) {
            try model.predict(FeatureMatrix(rows: [[1, 2, 3]]))
        }
    }
}
