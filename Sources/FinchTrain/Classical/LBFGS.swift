/// Limited-memory BFGS for smooth, unconstrained minimization in `Double`
/// (Nocedal & Wright, Algorithm 7.4 with a backtracking Armijo line search;
/// a pair whose curvature `sᵀy` is not positive is skipped).
///
/// Stops when the largest gradient component is at most `tolerance` — the
/// test of SciPy's L-BFGS-B (`pgtol`) that scikit-learn's `lbfgs` solver
/// passes `tol` to — or after `maxIterations` iterations.
struct LBFGS {
    /// Stop when `max |∇f| ≤ tolerance`.
    var tolerance: Double
    /// Iteration limit.
    var maxIterations: Int
    /// Correction pairs kept (SciPy's `maxcor`, 10 as scikit-learn passes).
    var memory = 10

    /// What the minimization reached.
    struct Result {
        var x: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// Minimizes `f`, which returns the value and writes the gradient into its second argument.
    func minimize(
        from start: [Double], _ f: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Double
    ) -> Result {
        let n = start.count
        var x = start, g = [Double](repeating: 0, count: n)
        var fx = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { f(xp.baseAddress!, $0.baseAddress!) } }
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var direction = [Double](repeating: 0, count: n), alpha = [Double](repeating: 0, count: memory)
        var xNew = x, gNew = g
        var iteration = 0
        while true {
            if Self.maxAbs(g) <= tolerance { return Result(x: x, value: fx, iterations: iteration, converged: true) }
            if iteration >= maxIterations { return Result(x: x, value: fx, iterations: iteration, converged: false) }
            // Two-loop recursion: direction = -H g.
            for i in 0..<n { direction[i] = -g[i] }
            for k in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[k] = rho[k] * Self.dot(s[k], direction)
                for i in 0..<n { direction[i] -= alpha[k] * y[k][i] }
            }
            var step = 1.0
            if let last = s.indices.last {
                let gamma = Self.dot(s[last], y[last]) / Self.dot(y[last], y[last])
                for i in 0..<n { direction[i] *= gamma }
            } else {
                step = 1 / Swift.max(Self.dot(g, g).squareRoot(), 1e-300)
            }
            for k in 0..<s.count {
                let beta = rho[k] * Self.dot(y[k], direction)
                for i in 0..<n { direction[i] += s[k][i] * (alpha[k] - beta) }
            }
            var slope = Self.dot(g, direction)
            if !(slope < 0) {  // not a descent direction: restart from steepest descent
                s.removeAll()
                y.removeAll()
                rho.removeAll()
                for i in 0..<n { direction[i] = -g[i] }
                slope = -Self.dot(g, g)
                step = 1 / Swift.max((-slope).squareRoot(), 1e-300)
            }
            // Backtracking until the Armijo condition holds.
            var fNew = 0.0
            var tries = 0
            while true {
                for i in 0..<n { xNew[i] = x[i] + step * direction[i] }
                fNew = xNew.withUnsafeBufferPointer { xp in
                    gNew.withUnsafeMutableBufferPointer { f(xp.baseAddress!, $0.baseAddress!) }
                }
                if fNew <= fx + 1e-4 * step * slope || tries >= 60 { break }
                // Near the minimum the values differ only by rounding: accept a smaller gradient.
                if Swift.abs(fNew - fx) <= 1e-13 * Swift.max(Swift.abs(fx), 1) && Self.maxAbs(gNew) < Self.maxAbs(g) { break }
                step *= 0.5
                tries += 1
            }
            if tries >= 60 && fNew > fx {
                return Result(x: x, value: fx, iterations: iteration, converged: Self.maxAbs(g) <= tolerance)
            }
            var sk = [Double](repeating: 0, count: n), yk = [Double](repeating: 0, count: n)
            for i in 0..<n {
                sk[i] = xNew[i] - x[i]
                yk[i] = gNew[i] - g[i]
            }
            let sy = Self.dot(sk, yk)
            if sy > 1e-16 * Self.dot(yk, yk).squareRoot() * Self.dot(sk, sk).squareRoot() && sy > 0 {
                if s.count == memory {
                    s.removeFirst()
                    y.removeFirst()
                    rho.removeFirst()
                }
                s.append(sk)
                y.append(yk)
                rho.append(1 / sy)
            }
            swap(&x, &xNew)
            swap(&g, &gNew)
            fx = fNew
            iteration += 1
        }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                var sum = 0.0
                for i in 0..<pa.count { sum += pa[i] * pb[i] }
                return sum
            }
        }
    }

    static func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { Swift.max($0, Swift.abs($1)) } }
}
