import Foundation

/// Gauss–Legendre quadrature on [0, 1], the rule Captum's integrated
/// gradients use by default (`method="gausslegendre"`): NumPy's
/// `leggauss(n)` nodes x and weights w on [−1, 1], mapped to
/// α = (1 + x) / 2 and step size w / 2, in ascending α.
public struct GaussLegendreRule: Sendable, Equatable {
    /// Interpolation points α in (0, 1), ascending.
    public let alphas: [Double]
    /// Weight of each point; they sum to 1.
    public let weights: [Double]

    /// The `n`-point rule (n ≥ 1). Nodes are the roots of the Legendre
    /// polynomial Pₙ, found by Newton's method from Tricomi's estimate
    /// cos(π(i − ¼)/(n + ½)); wᵢ = 2 / ((1 − xᵢ²) Pₙ′(xᵢ)²) on [−1, 1].
    public init(points n: Int) {
        precondition(n >= 1, "a quadrature rule needs at least one point, got \(n)")
        var nodes = [Double](repeating: 0, count: n), ws = [Double](repeating: 0, count: n)
        for i in 0..<((n + 1) / 2) {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                let (p, dp) = Self.legendre(n, at: x)
                let step = p / dp
                x -= step
                derivative = dp
                if abs(step) < 1e-16 { break }
            }
            derivative = Self.legendre(n, at: x).derivative
            let w = 2 / ((1 - x * x) * derivative * derivative)
            // x is the i-th largest root; −x its mirror.
            nodes[n - 1 - i] = x
            nodes[i] = -x
            ws[n - 1 - i] = w
            ws[i] = w
        }
        if n % 2 == 1 { nodes[n / 2] = 0 }
        alphas = nodes.map { 0.5 * (1 + $0) }
        weights = ws.map { 0.5 * $0 }
    }

    /// Pₙ(x) and Pₙ′(x) by the three-term recurrence.
    static func legendre(_ n: Int, at x: Double) -> (value: Double, derivative: Double) {
        var p0 = 1.0, p1 = x
        if n == 0 { return (1, 0) }
        for k in 2...max(2, n) where k <= n {
            let p2 = (Double(2 * k - 1) * x * p1 - Double(k - 1) * p0) / Double(k)
            p0 = p1
            p1 = p2
        }
        let derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
        return (p1, derivative)
    }
}
