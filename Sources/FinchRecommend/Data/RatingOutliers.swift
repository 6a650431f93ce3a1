/// Finds ratings far outside the bulk of a file's ratings, which would
/// otherwise stretch a scale inferred from the minimum and maximum (one stray
/// 50 among 1–5 stars makes the scale [1, 50]; a 1.2e29 makes training diverge).
///
/// Rule: with the median m and the median absolute deviation d, and a spread
/// s = max(d, |m| / 4) (1 when both are 0), a rating r is an outlier when
/// |r − m| > 20·s. On a 1–5 scale (m ≈ 4, s = 1) that accepts −16…24; on a
/// 0–100 scale with m = 70, d = 15 it accepts −280…420. The bound is loose on
/// purpose: it catches typos and wrong columns, not unusual but real ratings.
enum RatingOutliers {
    /// How many spreads from the median a rating may lie.
    static let limit: Float = 20

    /// The first outlier of `values` (by position) and the median, or nil.
    static func first(in values: [Float]) -> (index: Int, median: Float)? {
        guard !values.isEmpty else { return nil }
        let m = median(values)
        let d = median(values.map { abs($0 - m) })
        var s = Swift.max(d, abs(m) / 4)
        if s == 0 { s = 1 }
        guard let index = values.firstIndex(where: { abs($0 - m) > limit * s }) else { return nil }
        return (index, m)
    }

    /// The median (the mean of the two middle values for an even count).
    static func median(_ values: [Float]) -> Float {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
