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
        var sum: Float = 0
        for v in b { sum += v * 0 }  // NaN·0 and ∞·0 are NaN; finite·0 is 0: one branch-free pass
        guard sum.isNaN else { return nil }
        return b.firstIndex { !$0.isFinite }
    }
}
