import Foundation

/// The scores the detectors compare against their limits. Each is signed so
/// that positive means "worse" (more negative texts, more volume, lower mean score).
public enum DetectorScores {
    /// The binomial-aware score of a share: with baseline share p̂ (EWMA),
    /// EWMA variance v of past shares, EWMA ρ of past 1/n, and this bucket's
    /// share p of n documents,
    ///
    ///     extra = max(0, v − p̂(1 − p̂)·ρ)          (between-bucket variation beyond sampling noise)
    ///     z     = (p − p̂) / sqrt(p̂(1 − p̂)/n + extra)
    ///
    /// so a bucket of 5 documents with 3 negative (p = 0.6 against p̂ = 0.2)
    /// scores only 2.2, while 200 documents at p = 0.35 score 5.3. p̂ is
    /// clamped to [0.01, 0.99] in the variance so a clean history does not
    /// make one negative text an alarm.
    public static func share(value p: Double, count n: Int, baseline: Double, variance v: Double, inverseCount rho: Double) -> Double {
        guard n > 0 else { return 0 }
        return (p - baseline) / shareDeviation(count: n, baseline: baseline, variance: v, inverseCount: rho)
    }

    /// The denominator of `share`: sqrt(p̂(1 − p̂)/n + extra), p̂ clamped to [0.01, 0.99].
    public static func shareDeviation(count n: Int, baseline: Double, variance v: Double, inverseCount rho: Double) -> Double {
        let q = min(max(baseline, 0.01), 0.99)
        let sampling = q * (1 - q)
        let extra = max(0, v - sampling * rho)
        return (sampling / Double(max(n, 1)) + extra).squareRoot()
    }

    /// The score of a count against its seasonal expectation E:
    /// z = (x − E) / sqrt(max(v, E, 1)) — at least Poisson noise, more when
    /// the residuals' EWMA variance v says the series is noisier.
    public static func volume(value x: Double, expected e: Double, variance v: Double) -> Double {
        (x - e) / max(v, e, 1).squareRoot()
    }

    /// The score of a mean sentiment score (lower is worse):
    /// z = −(x − μ) / sqrt(max(v, 10⁻⁴)).
    public static func meanScore(value x: Double, baseline mu: Double, variance v: Double) -> Double {
        -(x - mu) / max(v, 1e-4).squareRoot()
    }

    /// One step of a one-sided CUSUM of standardized values: S ← max(0, S + z − k).
    public static func cusum(_ s: Double, z: Double, allowance k: Double = cusumAllowance) -> Double { max(0, s + z - k) }

    /// The CUSUM allowance k in standard deviations: tuned to detect shifts of 2k = 1σ.
    public static let cusumAllowance = 0.5
}
