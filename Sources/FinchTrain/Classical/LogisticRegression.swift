import Foundation

/// Logistic regression as scikit-learn's `LogisticRegression()` defaults:
/// L2 penalty with `C = 1`, the `lbfgs` solver, an unpenalized intercept;
/// multinomial (softmax over all classes, no reference class) with three or
/// more classes, the binomial model with one weight row for two. It minimizes
/// scikit-learn's objective
///
///     (1/n) Σᵢ loss(xᵢ, yᵢ) + ‖W‖² / (2 C n)
///
/// with L-BFGS until the largest gradient component is at most `tolerance`.
/// The optimum is unique, so a converged fit equals scikit-learn's converged
/// fit up to the tolerance.
public struct LogisticRegression: Equatable, Sendable, Codable {
    /// Inverse regularization strength `C` (> 0).
    public var c = 1.0
    /// Gradient tolerance (`tol`).
    public var tolerance = 1e-4
    /// Iteration limit; scikit-learn's is 100, which often stops before `tol` — here the default lets it converge.
    public var maxIterations = 1000

    /// The defaults.
    public init() {}

    /// What a fit returns: the parameters and how the solver ended.
    public struct Fit: Sendable {
        /// The fitted weights.
        public var model: LinearClassifier
        /// L-BFGS iterations run.
        public var iterations: Int
        /// True when the gradient tolerance was reached.
        public var converged: Bool
    }

    /// Fits on rows `x` with class indices `y` in `0..<classCount` (classCount ≥ 2).
    public func fit(_ x: FeatureMatrix, labels y: [Int], classCount: Int) throws -> Fit {
        guard c > 0 && c.isFinite else { throw ClassicalError.invalidSetting(name: "C", reason: "must be a positive number, got \(c)") }
        guard tolerance > 0, maxIterations >= 1 else {
            throw ClassicalError.invalidSetting(name: "tol", reason: "tolerance must be > 0 and max_iter ≥ 1")
        }
        try checkLabels(y, rows: x.rowCount, classCount: classCount)
        let n = x.rowCount, d = x.columnCount, outputs = classCount == 2 ? 1 : classCount
        let stride = d + 1  // weights, then the intercept, per output
        let penalty = 1 / (c * Double(n))
        let result = y.withUnsafeBufferPointer { labels in
            x.withRows { rows in
                LBFGS(tolerance: tolerance, maxIterations: maxIterations).minimize(
                    from: [Double](repeating: 0, count: outputs * stride)
                ) { w, g in
                    Self.objective(rows, labels: labels, n: n, d: d, outputs: outputs, penalty: penalty, w: w, g: g)
                }
            }
        }
        let coefficients = (0..<outputs).map { k in Array(result.x[(k * stride)..<(k * stride + d)]) }
        let intercepts = (0..<outputs).map { k in result.x[k * stride + d] }
        return Fit(
            model: LinearClassifier(coefficients: coefficients, intercepts: intercepts, classCount: classCount),
            iterations: result.iterations, converged: result.converged)
    }

    /// Value and gradient of the objective at `w` (layout: per output, `d` weights then the intercept).
    static func objective(
        _ rows: FeatureRows, labels: UnsafeBufferPointer<Int>, n: Int, d: Int, outputs: Int, penalty: Double,
        w: UnsafePointer<Double>, g: UnsafeMutablePointer<Double>
    ) -> Double {
        let stride = d + 1
        g.update(repeating: 0, count: outputs * stride)
        var loss = 0.0
        var z = [Double](repeating: 0, count: outputs)
        let inverseN = 1 / Double(n)
        for i in 0..<n {
            for k in 0..<outputs { z[k] = rows.dot(i, w, offset: k * stride) + w[k * stride + d] }
            if outputs == 1 {
                // Binomial: loss = ln(1 + e^z) − y z; ∂/∂z = σ(z) − y.
                let t = Double(labels[i]), s = z[0]
                loss += (s > 0 ? s + Foundation.log1p(Foundation.exp(-s)) : Foundation.log1p(Foundation.exp(s))) - t * s
                let p = s >= 0 ? 1 / (1 + Foundation.exp(-s)) : Foundation.exp(s) / (1 + Foundation.exp(s))
                let r = (p - t) * inverseN
                rows.addScaled(i, r, into: g)
                g[d] += r
            } else {
                var m = z[0]
                for k in 1..<outputs where z[k] > m { m = z[k] }
                var sum = 0.0
                for k in 0..<outputs {
                    z[k] = Foundation.exp(z[k] - m)
                    sum += z[k]
                }
                let target = labels[i]
                loss += Foundation.log(sum) - Foundation.log(z[target])
                for k in 0..<outputs {
                    let r = (z[k] / sum - (k == target ? 1 : 0)) * inverseN
                    rows.addScaled(i, r, into: g, offset: k * stride)
                    g[k * stride + d] += r
                }
            }
        }
        var squares = 0.0
        for k in 0..<outputs {
            for j in 0..<d {
                let v = w[k * stride + j]
                squares += v * v
                g[k * stride + j] += penalty * v
            }
        }
        return loss * inverseN + 0.5 * penalty * squares
    }

    /// `predict_proba`: class probabilities per row (binary: `[1 − σ(z), σ(z)]`).
    public static func probabilities(_ model: LinearClassifier, _ x: FeatureMatrix) throws -> [[Double]] {
        try model.decisionFunction(x).map { z in
            if z.count == 1 {
                let p = 1 / (1 + Foundation.exp(-z[0]))
                return [1 - p, p]
            }
            let m = z.max()!
            let e = z.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
    }
}

/// Checks that there is one label per row, each in range, and at least two classes.
func checkLabels(_ y: [Int], rows: Int, classCount: Int) throws {
    guard y.count == rows else { throw ClassicalError.notEnoughData("\(rows) rows of features but \(y.count) labels") }
    guard rows > 0 else { throw ClassicalError.notEnoughData("no examples to fit on") }
    guard classCount >= 2 else { throw ClassicalError.notEnoughData("fitting needs at least two classes, got \(classCount)") }
    if let bad = y.first(where: { $0 < 0 || $0 >= classCount }) {
        throw ClassicalError.notEnoughData("label index \(bad) is outside 0..<\(classCount)")
    }
}
