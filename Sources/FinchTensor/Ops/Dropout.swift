extension Tensor {
    /// Inverted dropout: zeroes each element with probability `p` and scales the
    /// rest by 1/(1−p), drawing the mask from `rng`. Identity when `p` is 0.
    public func dropout(p: Float, rng: inout FinchRNG) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout probability \(p) must be in [0, 1)")
        if p == 0 { return self }
        let keep = 1 - p, scale = 1 / keep
        let mask = Tensor(shape: shape) { o in
            for i in 0..<o.count { o[i] = rng.nextUniform() < keep ? scale : 0 }
        }
        let pm = mask.storage.pointer, px = storage.pointer
        let out = Tensor(shape: shape) { o in for i in 0..<o.count { o[i] = px[i] * pm[i] } }
        return out.recorded("dropout", [self]) { g in [g * mask] }
    }
}
