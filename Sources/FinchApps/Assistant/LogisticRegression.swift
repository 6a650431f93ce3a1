import Foundation

/// A binary logistic model p(y = 1 | x) = σ(w·x + b), fitted by Newton's
/// method (iteratively reweighted least squares) on
/// Σ log-loss + (l2 / 2)·‖w‖² (the bias is not penalized; l2 = 1 is
/// scikit-learn's `LogisticRegression` default, C = 1).
public struct LogisticRegression: Codable, Sendable, Equatable {
    /// One weight per feature.
    public var weights: [Double]
    /// The intercept.
    public var bias: Double

    /// A model with the given coefficients.
    public init(weights: [Double], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// p(y = 1 | features).
    public func probability(_ features: [Double]) -> Double {
        precondition(features.count == weights.count, "\(weights.count) features expected, got \(features.count)")
        var z = bias
        for (w, x) in zip(weights, features) { z += w * x }
        return 1 / (1 + exp(-z))
    }

    /// Fits to `samples` (equal-length feature rows) and `labels`. Converges
    /// in a few steps on separable or one-class data too, because the penalty
    /// keeps the weights finite; the bias alone is kept finite by stopping
    /// after `iterations` steps.
    public static func fit(_ samples: [[Double]], labels: [Bool], l2: Double = 1, iterations: Int = 100) -> LogisticRegression {
        precondition(samples.count == labels.count, "one label per sample")
        let d = samples.first?.count ?? 0
        var theta = [Double](repeating: 0, count: d + 1)  // weights, then bias
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: d + 1)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: d + 1), count: d + 1)
            for (x, y) in zip(samples, labels) {
                var z = theta[d]
                for j in 0..<d { z += theta[j] * x[j] }
                let p = 1 / (1 + exp(-z))
                let r = p - (y ? 1 : 0)
                let w = Swift.max(p * (1 - p), 1e-12)
                for j in 0...d {
                    let xj = j == d ? 1 : x[j]
                    gradient[j] += r * xj
                    for k in 0...j { hessian[j][k] += w * xj * (k == d ? 1 : x[k]) }
                }
            }
            for j in 0..<d {
                gradient[j] += l2 * theta[j]
                hessian[j][j] += l2
            }
            hessian[d][d] += 1e-9
            for j in 0...d { for k in (j + 1)..<(d + 1) { hessian[j][k] = hessian[k][j] } }
            guard let step = solve(hessian, gradient) else { break }
            var size = 0.0
            for j in 0...d {
                theta[j] -= step[j]
                size = Swift.max(size, Swift.abs(step[j]))
            }
            if size < 1e-10 { break }
        }
        return LogisticRegression(weights: Array(theta[0..<d]), bias: theta[d])
    }

    /// x with a·x = b (Gaussian elimination, partial pivoting); nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a
        var v = b
        for c in 0..<n {
            var pivot = c
            for r in (c + 1)..<n where Swift.abs(m[r][c]) > Swift.abs(m[pivot][c]) { pivot = r }
            guard Swift.abs(m[pivot][c]) > 1e-300 else { return nil }
            m.swapAt(c, pivot)
            v.swapAt(c, pivot)
            for r in (c + 1)..<n {
                let f = m[r][c] / m[c][c]
                if f == 0 { continue }
                for k in c..<n { m[r][k] -= f * m[c][k] }
                v[r] -= f * v[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for k in (r + 1)..<n { s -= m[r][k] * x[k] }
            x[r] = s / m[r][r]
        }
        return x
    }
}
