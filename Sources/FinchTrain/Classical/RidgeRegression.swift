/// Ridge regression as scikit-learn's `Ridge(alpha=1.0)` with its
/// `cholesky` solver, and ordinary least squares (`LinearRegression`) with
/// `alpha = 0` on features of full column rank: centre features and targets
/// (the intercept is not penalized), solve
///
///     (Xcᵀ Xc + α I) w = Xcᵀ yc        by Cholesky,
///
/// and set `intercept = ȳ − x̄ · w`. For ratings such as 1–5 review scores.
public struct RidgeRegression: Equatable, Sendable, Codable {
    /// Penalty strength `alpha` (≥ 0; 0 is least squares).
    public var alpha = 1.0
    /// Fit an intercept (`fit_intercept`).
    public var fitIntercept = true

    /// The defaults of `Ridge()`.
    public init() {}

    /// A fitted linear model: `y ≈ x · coefficients + intercept`.
    public struct Model: Equatable, Sendable, Codable {
        /// `coef_`.
        public var coefficients: [Double]
        /// `intercept_`.
        public var intercept: Double

        /// `predict`.
        public func predict(_ x: FeatureMatrix) throws -> [Double] {
            guard x.columnCount == coefficients.count else {
                throw ClassicalError.featureCountMismatch(expected: coefficients.count, found: x.columnCount)
            }
            return x.withRows { rows in
                coefficients.withUnsafeBufferPointer { w in (0..<x.rowCount).map { rows.dot($0, w.baseAddress!) + intercept } }
            }
        }
    }

    /// The largest number of features the closed form accepts (its `d × d` system).
    public static let maxFeatureCount = 8192

    /// Fits on rows `x` and targets `y`.
    public func fit(_ x: FeatureMatrix, targets y: [Double]) throws -> Model {
        guard alpha >= 0 && alpha.isFinite else {
            throw ClassicalError.invalidSetting(name: "alpha", reason: "must be a number ≥ 0, got \(alpha)")
        }
        let n = x.rowCount, d = x.columnCount
        guard y.count == n, n > 0 else { throw ClassicalError.notEnoughData("\(n) rows of features but \(y.count) targets") }
        guard d <= Self.maxFeatureCount else {
            throw ClassicalError.invalidSetting(
                name: "features", reason: "the closed form solves a d × d system; \(d) features is more than \(Self.maxFeatureCount)")
        }
        // Column means and the target mean (zero without an intercept).
        var mean = [Double](repeating: 0, count: d)
        var yMean = 0.0
        if fitIntercept {
            x.withRows { rows in
                mean.withUnsafeMutableBufferPointer { m in for i in 0..<n { rows.addScaled(i, 1 / Double(n), into: m.baseAddress!) } }
            }
            yMean = y.reduce(0, +) / Double(n)
        }
        // Gram matrix of the centred rows and the right-hand side, one dense row at a time.
        var gram = [Double](repeating: 0, count: d * d), rhs = [Double](repeating: 0, count: d)
        var row = [Double](repeating: 0, count: d)
        x.withRows { rows in
            row.withUnsafeMutableBufferPointer { r in
                gram.withUnsafeMutableBufferPointer { a in
                    for i in 0..<n {
                        for j in 0..<d { r[j] = -mean[j] }
                        rows.addScaled(i, 1, into: r.baseAddress!)
                        let t = y[i] - yMean
                        for j in 0..<d {
                            let v = r[j]
                            if v == 0 { continue }
                            rhs[j] += v * t
                            for l in 0...j { a[j * d + l] += v * r[l] }
                        }
                    }
                }
            }
        }
        for j in 0..<d { gram[j * d + j] += alpha }
        let w = try Self.choleskySolve(&gram, rhs, d)
        var intercept = 0.0
        if fitIntercept {
            intercept = yMean
            for j in 0..<d { intercept -= mean[j] * w[j] }
        }
        return Model(coefficients: w, intercept: intercept)
    }

    /// Solves `A w = b` for symmetric positive definite `A` (lower triangle used, overwritten by its factor).
    static func choleskySolve(_ a: inout [Double], _ b: [Double], _ d: Int) throws -> [Double] {
        for j in 0..<d {
            let diagonal = a[j * d + j]
            var s = diagonal
            for k in 0..<j { s -= a[j * d + k] * a[j * d + k] }
            // A pivot lost to rounding (below 1e-10 of its diagonal) means collinear columns.
            guard s > 1e-10 * diagonal && s.isFinite else {
                throw ClassicalError.singularSystem(reason: "the features are collinear (pivot \(j)); use alpha > 0")
            }
            let l = s.squareRoot()
            a[j * d + j] = l
            for i in (j + 1)..<d {
                var t = a[i * d + j]
                for k in 0..<j { t -= a[i * d + k] * a[j * d + k] }
                a[i * d + j] = t / l
            }
        }
        var z = b
        for i in 0..<d {
            for k in 0..<i { z[i] -= a[i * d + k] * z[k] }
            z[i] /= a[i * d + i]
        }
        for i in stride(from: d - 1, through: 0, by: -1) {
            for k in (i + 1)..<d { z[i] -= a[k * d + i] * z[k] }
            z[i] /= a[i * d + i]
        }
        return z
    }
}
