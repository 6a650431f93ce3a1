/// The fitted parameters of a linear classifier: one weight row and one
/// intercept per output, scikit-learn's `coef_` and `intercept_`. With two
/// classes there is one output, whose positive side is the second class
/// (scikit-learn's binary layout); otherwise one output per class.
public struct LinearClassifier: Equatable, Sendable, Codable {
    /// `coef_`: `outputs × features`.
    public var coefficients: [[Double]]
    /// `intercept_`: one per output.
    public var intercepts: [Double]
    /// Number of classes (2 with one output).
    public var classCount: Int

    /// Parameters from their parts.
    public init(coefficients: [[Double]], intercepts: [Double], classCount: Int) {
        self.coefficients = coefficients
        self.intercepts = intercepts
        self.classCount = classCount
    }

    /// Number of features each row must have.
    public var featureCount: Int { coefficients.first?.count ?? 0 }

    /// `decision_function`: `rows × outputs` scores, `x · coef_ᵀ + intercept_`.
    public func decisionFunction(_ x: FeatureMatrix) throws -> [[Double]] {
        guard x.columnCount == featureCount else { throw ClassicalError.featureCountMismatch(expected: featureCount, found: x.columnCount) }
        let flat = coefficients.flatMap { $0 }, d = featureCount
        return x.withRows { rows in
            flat.withUnsafeBufferPointer { w in
                (0..<x.rowCount).map { i in
                    coefficients.indices.map { k in rows.dot(i, w.baseAddress!, offset: k * d) + intercepts[k] }
                }
            }
        }
    }

    /// `predict`: the class index of each row (binary: the second class when the score is positive).
    public func predict(_ x: FeatureMatrix) throws -> [Int] {
        try decisionFunction(x).map(Self.argmax)
    }

    /// The class a row of scores picks.
    static func argmax(_ scores: [Double]) -> Int {
        if scores.count == 1 { return scores[0] > 0 ? 1 : 0 }
        var best = 0
        for k in 1..<scores.count where scores[k] > scores[best] { best = k }
        return best
    }
}
