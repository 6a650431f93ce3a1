import Foundation

/// Binary logistic regression with an L2 penalty, fitted by Newton's method
/// (iteratively reweighted least squares) in Double: small dense problems
/// only (a handful of features, any number of samples).
///
///     minimize −Σ_n [y_n log σ(z_n) + (1 − y_n) log(1 − σ(z_n))] + (λ/2)|w|²,
///     z_n = b + wᵀx_n  (the intercept b is not penalized)
enum LogisticBlend {
    /// The weights (one per column of `features`) and the intercept.
    /// - Parameters:
    ///   - features: row-major samples × `width`.
    ///   - labels: 0 or 1 per sample.
    static func fit(
        features: [Double], labels: [Double], width: Int, l2: Double = 1e-2, iterations: Int = 50
    ) -> (weights: [Double], intercept: Double) {
        let n = labels.count
        let p = width + 1  // the intercept is the last parameter
        var beta = [Double](repeating: 0, count: p)
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: p)
            var hessian = [Double](repeating: 0, count: p * p)
            var x = [Double](repeating: 1, count: p)
            for s in 0..<n {
                for f in 0..<width { x[f] = features[s * width + f] }
                var z = 0.0
                for f in 0..<p { z += beta[f] * x[f] }
                let mu = 1 / (1 + Foundation.exp(-z))
                let w = Swift.max(mu * (1 - mu), 1e-12)
                for a in 0..<p {
                    gradient[a] += (mu - labels[s]) * x[a]
                    for b in 0..<p { hessian[a * p + b] += w * x[a] * x[b] }
                }
            }
            for f in 0..<width {
                gradient[f] += l2 * beta[f]
                hessian[f * p + f] += l2
            }
            hessian[width * p + width] += 1e-9
            guard let step = solve(hessian, gradient, p) else { break }
            var largest = 0.0
            for f in 0..<p {
                beta[f] -= step[f]
                largest = Swift.max(largest, Swift.abs(step[f]))
            }
            if largest < 1e-10 { break }
        }
        return (Array(beta[0..<width]), beta[width])
    }

    /// Solves the symmetric positive definite system a·x = b (n×n) by
    /// Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double]? {
        var m = a, rhs = b
        for c in 0..<n {
            var pivot = c
            for r in (c + 1)..<Swift.max(c + 1, n) where Swift.abs(m[r * n + c]) > Swift.abs(m[pivot * n + c]) { pivot = r }
            guard Swift.abs(m[pivot * n + c]) > 1e-300 else { return nil }
            if pivot != c {
                for k in 0..<n { m.swapAt(c * n + k, pivot * n + k) }
                rhs.swapAt(c, pivot)
            }
            for r in (c + 1)..<Swift.max(c + 1, n) {
                let factor = m[r * n + c] / m[c * n + c]
                if factor == 0 { continue }
                for k in c..<n { m[r * n + k] -= factor * m[c * n + k] }
                rhs[r] -= factor * rhs[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = rhs[r]
            for k in (r + 1)..<Swift.max(r + 1, n) { s -= m[r * n + k] * x[k] }
            x[r] = s / m[r * n + r]
        }
        return x
    }
}
