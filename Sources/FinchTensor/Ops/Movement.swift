extension Tensor {
    /// The same elements under a new shape (shares storage). One dimension may be -1.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let i = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            target[i] = count / known
        }
        precondition(Shape.count(target) == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        if target == shape { return self }
        let out = Tensor(shape: target, storage: storage)
        let s = shape
        return out.recorded("reshape", [self]) { g in [g.reshaped(s)] }
    }

    /// Flattens dimensions `from...` into one.
    public func flattened(from axis: Int = 0) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        return reshaped(Array(shape[..<a]) + [shape[a...].reduce(1, *)])
    }

    /// Inserts a size-1 dimension at `axis`.
    public func unsqueezed(_ axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        var s = shape
        s.insert(1, at: a)
        return reshaped(s)
    }

    /// Reorders dimensions: result dimension i is input dimension `order[i]`. Copies.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permutation \(order) for rank \(rank)")
        if order == Array(0..<rank) { return self }
        let outShape = order.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let src = order.map { inStrides[$0] }  // input stride per output dim
        let p = storage.pointer
        let r = rank
        let inner = outShape[r - 1], innerStride = src[r - 1]
        let rows = count / Swift.max(inner, 1)
        let out = Tensor(shape: outShape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(rows, cost: inner) { range in
                for row in range {
                    var rem = row, off = 0
                    var d = r - 2
                    while d >= 0 {
                        off += (rem % outShape[d]) * src[d]
                        rem /= outShape[d]
                        d -= 1
                    }
                    let dst = po + row * inner
                    let s = p + off
                    if innerStride == 1 {
                        dst.update(from: s, count: inner)
                    } else {
                        for j in 0..<inner { dst[j] = s[j * innerStride] }
                    }
                }
            }
        }
        var inverse = [Int](repeating: 0, count: r)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return out.recorded("permute", [self]) { g in [g.permuted(inverse)] }
    }

    /// Swaps two dimensions (copies).
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(Shape.axis(a, rank: rank), Shape.axis(b, rank: rank))
        return permuted(order)
    }

    /// Elements `range` along `axis` (copies).
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a], "slice \(range) out of bounds for dimension \(a) of \(shape)")
        let (outer, size, inner) = Shape.split(shape, axis: a)
        var outShape = shape
        outShape[a] = range.count
        let p = storage.pointer
        let out = Tensor(shape: outShape) { o in
            let po = o.baseAddress!
            let chunk = range.count * inner
            for i in 0..<outer {
                (po + i * chunk).update(from: p + (i * size + range.lowerBound) * inner, count: chunk)
            }
        }
        let s = shape
        return out.recorded("slice", [self]) { g in
            let gp = g.storage.pointer
            return [
                Tensor(shape: s) { o in
                    o.initialize(repeating: 0)
                    let chunk = range.count * inner
                    for i in 0..<outer {
                        (o.baseAddress! + (i * size + range.lowerBound) * inner).update(from: gp + i * chunk, count: chunk)
                    }
                }
            ]
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat of nothing")
        let a = Shape.axis(axis, rank: parts[0].rank)
        for t in parts {
            precondition(
                t.rank == parts[0].rank && t.shape.enumerated().allSatisfy { $0.offset == a || $0.element == parts[0].shape[$0.offset] },
                "concat: shape \(t.shape) does not match \(parts[0].shape) off axis \(a)")
        }
        let sizes = parts.map { $0.shape[a] }
        var outShape = parts[0].shape
        outShape[a] = sizes.reduce(0, +)
        let (outer, total, inner) = Shape.split(outShape, axis: a)
        let detachedParts = parts.map { $0.detached() }
        let out = Tensor(shape: outShape) { o in
            var offset = 0
            for (t, size) in zip(detachedParts, sizes) {
                let p = t.storage.pointer
                for i in 0..<outer {
                    (o.baseAddress! + (i * total + offset) * inner).update(from: p + i * size * inner, count: size * inner)
                }
                offset += size
            }
        }
        return out.recorded("concat", parts) { g in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return g.slice(axis: a, start..<(start + size))
            }
        }
    }

    /// Stacks equal-shaped tensors along a new `axis`.
    public static func stack(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "stack of nothing")
        let a = axis < 0 ? axis + parts[0].rank + 1 : axis
        return concat(parts.map { $0.unsqueezed(a) }, axis: a)
    }
}
