import Foundation

/// Float64 sums and averages computed in exactly NumPy's order, so scores
/// averaged here equal scikit-learn's and seqeval's to the last bit (a report
/// rounded to 2 digits can otherwise differ at a tie such as 0.125).
enum NumPyArithmetic {
    /// `np.sum(values)` for a contiguous float64 array: NumPy's pairwise
    /// summation (`DOUBLE_pairwise_sum`: plain loop below 8 elements, eight
    /// accumulators up to 128, halving above), added to the reduction's
    /// initial 0.
    static func sum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { 0.0 + pairwiseSum($0.baseAddress!, $0.count) }
    }

    private static func pairwiseSum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
        if n < 8 {
            var res = -0.0
            for i in 0..<n { res += a[i] }
            return res
        } else if n <= 128 {
            var r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3]
            var r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7]
            var i = 8
            while i < n - (n % 8) {
                r0 += a[i]
                r1 += a[i + 1]
                r2 += a[i + 2]
                r3 += a[i + 3]
                r4 += a[i + 4]
                r5 += a[i + 5]
                r6 += a[i + 6]
                r7 += a[i + 7]
                i += 8
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n {
                res += a[i]
                i += 1
            }
            return res
        } else {
            var n2 = n / 2
            n2 -= n2 % 8
            return pairwiseSum(a, n2) + pairwiseSum(a + n2, n - n2)
        }
    }

    /// `np.mean(values)`: pairwise sum divided by the count (NaN when empty).
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : sum(values) / Double(values.count)
    }

    /// `np.average(values, weights=weights)`: Σ(vᵢ·wᵢ) / Σwᵢ, both sums
    /// pairwise; nil when the weights sum to zero (NumPy raises).
    static func average(_ values: [Double], weights: [Double]) -> Double? {
        precondition(values.count == weights.count)
        let scale = sum(weights)
        if scale == 0 { return nil }
        return sum(zip(values, weights).map { $0 * $1 }) / scale
    }

    /// scikit-learn's `_nanaverage`. Unweighted it is `np.nanmean`: NaNs
    /// replaced by 0 in place (so the pairwise grouping is that of the full
    /// array), divided by the number of non-NaN values. Weighted, NaNs and
    /// their weights are dropped and `np.average` runs on the rest, falling
    /// back to the plain mean when those weights sum to zero. NaN when every
    /// value is NaN or there are none.
    static func nanAverage(_ values: [Double], weights: [Double]? = nil) -> Double {
        let keep = values.indices.filter { !values[$0].isNaN }
        if keep.isEmpty { return .nan }
        guard let weights else { return sum(values.map { $0.isNaN ? 0 : $0 }) / Double(keep.count) }
        let kept = keep.map { values[$0] }
        return average(kept, weights: keep.map { weights[$0] }) ?? mean(kept)
    }
}

/// Python's `str.format` for the few specs the reports use.
enum PythonFormat {
    /// `format(x, ".{digits}f")`: correctly rounded fixed point (glibc's
    /// printf rounds the exact binary value, half to even, as CPython does);
    /// `nan`, `inf`, `-inf` as Python writes them.
    static func fixed(_ x: Double, digits: Int) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(format: "%.\(digits)f", x)
    }

    /// `format(s, ">{width}")`: right-aligned in `width` code points (Python
    /// counts code points, not grapheme clusters); never truncates.
    static func right(_ s: String, _ width: Int) -> String {
        let n = s.unicodeScalars.count
        return n >= width ? s : String(repeating: " ", count: width - n) + s
    }

    /// `format(s, "<{width}")`: left-aligned in `width` code points.
    static func left(_ s: String, _ width: Int) -> String {
        let n = s.unicodeScalars.count
        return n >= width ? s : s + String(repeating: " ", count: width - n)
    }
}
