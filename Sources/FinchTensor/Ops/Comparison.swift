extension Tensor {
    /// 1 where self > other, else 0 (broadcasting; no gradient).
    public func greater(_ other: Tensor) -> Tensor { compare(other) { $0 > $1 } }
    /// 1 where self >= other, else 0.
    public func greaterEqual(_ other: Tensor) -> Tensor { compare(other) { $0 >= $1 } }
    /// 1 where self < other, else 0.
    public func less(_ other: Tensor) -> Tensor { compare(other) { $0 < $1 } }
    /// 1 where self == other, else 0.
    public func equal(_ other: Tensor) -> Tensor { compare(other) { $0 == $1 } }
    /// 1 where self > s.
    public func greater(_ s: Float) -> Tensor { map { $0 > s ? 1 : 0 } }

    private func compare(_ other: Tensor, _ f: (Float, Float) -> Bool) -> Tensor {
        guard let s = Shape.broadcast(shape, other.shape) else {
            preconditionFailure("compare: shapes \(shape) and \(other.shape) do not broadcast")
        }
        return BroadcastKernel.apply(self, other, outShape: s) { f($0, $1) ? 1 : 0 }
    }

    /// Picks `a` where `condition` is nonzero, else `b` (all broadcast together).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let m = condition.detached().map { $0 != 0 ? 1 : 0 }
        return a * m + b * (1 - m)
    }

    /// Sets elements to `value` where `mask` (broadcast to self) is nonzero.
    /// The gradient is zero at filled positions.
    public func maskedFill(_ mask: Tensor, _ value: Float) -> Tensor {
        guard let s = Shape.broadcast(shape, mask.shape), s == shape else {
            preconditionFailure("maskedFill: mask \(mask.shape) does not broadcast to \(shape)")
        }
        let out = BroadcastKernel.apply(self, mask, outShape: shape) { $1 != 0 ? value : $0 }
        let m = mask.detached()
        return out.recorded("maskedFill", [self]) { g in
            [BroadcastKernel.apply(g, m, outShape: g.shape) { $1 != 0 ? 0 : $0 }]
        }
    }
}
