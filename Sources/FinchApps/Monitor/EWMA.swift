import Foundation

/// Exponentially weighted mean and variance with a half-life in buckets.
///
/// With α = 1 − 2^(−1/halflife), each observation x updates
///
///     d = x − μ,  μ ← μ + α·d,  v ← (1 − α)·(v + α·d²)
///
/// (the incremental form of the exponentially weighted variance; West 1979,
/// Finch 2009). The first observation sets μ = x, v = 0.
public enum EWMA {
    /// The weight of a new observation for `halflife` buckets.
    public static func alpha(halflife: Double) -> Double { 1 - pow(2, -1 / halflife) }

    /// Updates `mean` and `variance` with `x`.
    public static func update(mean: inout Double?, variance: inout Double, with x: Double, alpha: Double) {
        guard let m = mean else {
            mean = x
            variance = 0
            return
        }
        let d = x - m
        mean = m + alpha * d
        variance = (1 - alpha) * (variance + alpha * d * d)
    }
}
