import FinchTensor

/// A linear support vector classifier as scikit-learn's `LinearSVC()`:
/// squared hinge loss, L2 penalty, `C = 1`, one-vs-rest (one classifier for
/// two classes, positive side the second class), solved in the dual by
/// coordinate descent with shrinking (liblinear's `L2R_L2LOSS_SVC_DUAL`,
/// Hsieh et al. 2008). As liblinear, the intercept is a weight on an extra
/// feature of constant value `interceptScaling` and is penalized like the
/// others; `intercept_ = interceptScaling · w_bias`.
///
/// Per class it minimizes `½‖w‖² + C Σᵢ max(0, 1 − yᵢ wᵀxᵢ)²`, whose optimum
/// is unique, so a converged fit equals scikit-learn's converged fit up to
/// the tolerance; the visiting order comes from `seed`.
public struct LinearSVC: Equatable, Sendable, Codable {
    /// Penalty parameter `C` (> 0).
    public var c = 1.0
    /// Stop when the projected gradients' spread is at most this (`tol`).
    public var tolerance = 1e-4
    /// Passes over the data per class (`max_iter`).
    public var maxIterations = 1000
    /// Value of the constant feature carrying the intercept (`intercept_scaling`).
    public var interceptScaling = 1.0
    /// Seed of the visiting order.
    public var seed: UInt64 = 0

    /// The defaults.
    public init() {}

    /// What a fit returns: the parameters and whether every class converged.
    public struct Fit: Sendable {
        /// The fitted weights.
        public var model: LinearClassifier
        /// Passes over the data, summed over classes.
        public var iterations: Int
        /// True when every class met the tolerance within `maxIterations`.
        public var converged: Bool
    }

    /// Fits on rows `x` with class indices `y` in `0..<classCount` (classCount ≥ 2).
    public func fit(_ x: FeatureMatrix, labels y: [Int], classCount: Int) throws -> Fit {
        guard c > 0 && c.isFinite else { throw ClassicalError.invalidSetting(name: "C", reason: "must be a positive number, got \(c)") }
        guard tolerance > 0, maxIterations >= 1, interceptScaling > 0 else {
            throw ClassicalError.invalidSetting(name: "tol", reason: "tolerance, max_iter and intercept_scaling must be positive")
        }
        try checkLabels(y, rows: x.rowCount, classCount: classCount)
        let outputs = classCount == 2 ? 1 : classCount
        var coefficients: [[Double]] = [], intercepts: [Double] = []
        var iterations = 0, converged = true
        var rng = FinchRNG(seed: seed)
        x.withRows { rows in
            for k in 0..<outputs {
                let positive = outputs == 1 ? 1 : k
                let signs = y.map { $0 == positive ? 1.0 : -1.0 }
                let (w, passes, done) = solve(rows, n: x.rowCount, signs: signs, rng: &rng)
                coefficients.append(Array(w[0..<x.columnCount]))
                intercepts.append(interceptScaling * w[x.columnCount])
                iterations += passes
                converged = converged && done
            }
        }
        return Fit(
            model: LinearClassifier(coefficients: coefficients, intercepts: intercepts, classCount: classCount),
            iterations: iterations, converged: converged)
    }

    /// liblinear's dual coordinate descent for one binary problem; returns
    /// `w` with the bias weight last, the passes made and whether it converged.
    func solve(_ rows: FeatureRows, n: Int, signs: [Double], rng: inout FinchRNG) -> ([Double], Int, Bool) {
        let d = rows.width, bias = interceptScaling
        let diagonal = 0.5 / c  // squared hinge: D_ii = 1 / (2C), no upper bound on α
        var w = [Double](repeating: 0, count: d + 1)
        var alpha = [Double](repeating: 0, count: n)
        let qd = (0..<n).map { rows.squaredNorm($0) + bias * bias + diagonal }
        var index = Array(0..<n)
        var active = n, pass = 0
        var maxOld = Double.infinity  // liblinear's PGmax_old (no upper bound, so no PGmin_old)
        var converged = false
        w.withUnsafeMutableBufferPointer { wp in
            let w = wp.baseAddress!
            while pass < maxIterations {
                var maxNew = -Double.infinity, minNew = Double.infinity
                for i in 0..<active {
                    let j = i + Int(rng.next() % UInt64(active - i))
                    index.swapAt(i, j)
                }
                var s = 0
                while s < active {
                    let i = index[s], yi = signs[i]
                    var g = yi * (rows.dot(i, w) + w[d] * bias) - 1 + alpha[i] * diagonal
                    var pg = 0.0
                    if alpha[i] == 0 {
                        if g > maxOld {
                            active -= 1
                            index.swapAt(s, active)
                            continue
                        } else if g < 0 {
                            pg = g
                        }
                    } else {
                        pg = g
                    }
                    maxNew = Swift.max(maxNew, pg)
                    minNew = Swift.min(minNew, pg)
                    if Swift.abs(pg) > 1e-12 {
                        let old = alpha[i]
                        alpha[i] = Swift.max(old - g / qd[i], 0)
                        g = (alpha[i] - old) * yi
                        rows.addScaled(i, g, into: w)
                        w[d] += g * bias
                    }
                    s += 1
                }
                pass += 1
                if maxNew - minNew <= tolerance {
                    if active == n {
                        converged = true
                        break
                    }
                    active = n
                    maxOld = .infinity
                    continue
                }
                maxOld = maxNew <= 0 ? .infinity : maxNew
            }
        }
        return (w, pass, converged)
    }
}
