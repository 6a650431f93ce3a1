/// The learnt arrays of a recommender read back from a model file, with
/// checked access: the right length and only finite values, so a damaged or
/// diverged model is refused when it loads instead of answering nonsense.
public struct ModelArrays: Sendable {
    /// The arrays by name.
    public let arrays: [String: [Float]]

    /// Wraps `arrays`.
    public init(_ arrays: [String: [Float]]) { self.arrays = arrays }

    /// The array `name` with exactly `count` values, all finite.
    /// - Throws: `RecommendError.corruptModel` when absent, of another length,
    ///   or holding NaN or an infinity.
    public func floats(_ name: String, count: Int) throws -> [Float] {
        guard let a = arrays[name] else { throw RecommendError.corruptModel(reason: "missing array '\(name)'") }
        guard a.count == count else {
            throw RecommendError.corruptModel(reason: "array '\(name)' has \(a.count) values, expected \(count)")
        }
        if let bad = firstNonFinite(a) {
            throw RecommendError.corruptModel(reason: "array '\(name)' holds a non-finite value (\(a[bad]) at \(bad))")
        }
        return a
    }
}

/// The position of the first NaN or infinity in `values`, or nil.
func firstNonFinite(_ values: [Float]) -> Int? {
    values.withUnsafeBufferPointer { b in
        // NaN·0 and ∞·0 are NaN, finite·0 is 0: one branch-free pass, 16 lanes wide (a scalar sum is
        // one long chain of dependent adds, which the compiler may not reorder: 16× slower on the
        // 3.5 M factors a fold-in batch checks).
        var lanes = SIMD16<Float>()
        let whole = b.count / 16 * 16
        if let base = b.baseAddress {
            var n = 0
            while n < whole {
                lanes += UnsafeRawPointer(base + n).loadUnaligned(as: SIMD16<Float>.self) * 0
                n += 16
            }
        }
        var sum = lanes.sum()
        for n in whole..<b.count { sum += b[n] * 0 }
        guard sum.isNaN else { return nil }
        return b.firstIndex { !$0.isFinite }
    }
}
