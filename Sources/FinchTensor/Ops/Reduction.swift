extension Tensor {
    /// Sum of all elements (a scalar).
    public func sum() -> Tensor {
        let p = storage.pointer, n = count
        var acc: Double = 0
        var i = 0
        // Four partial sums to shorten the dependency chain.
        var s0: Double = 0, s1: Double = 0, s2: Double = 0, s3: Double = 0
        while i + 4 <= n {
            s0 += Double(p[i]); s1 += Double(p[i + 1]); s2 += Double(p[i + 2]); s3 += Double(p[i + 3])
            i += 4
        }
        while i < n { acc += Double(p[i]); i += 1 }
        let out = Tensor(scalar: Float(acc + s0 + s1 + s2 + s3))
        let s = shape
        return out.recorded("sum", [self]) { g in [Tensor.full(s, g.item)] }
    }

    /// Mean of all elements.
    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    /// Sum over `axes`.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        let normalized = Set(axes.map { Shape.axis($0, rank: rank) }).sorted()
        var r = self
        for a in normalized.reversed() { r = r.sumAxis(a) }  // keeps dims
        if !keepDims {
            r = r.reshaped(shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element))
        }
        return r
    }

    /// Sum over one axis.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }

    /// Mean over `axes`.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = axes.map { shape[Shape.axis($0, rank: rank)] }.reduce(1, *)
        return sum(axes: axes, keepDims: keepDims) / Float(n)
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// Sum over one axis keeping it as size 1.
    func sumAxis(_ axis: Int) -> Tensor {
        let (outer, size, inner) = Shape.split(shape, axis: axis)
        var outShape = shape
        outShape[axis] = 1
        let p = storage.pointer
        let out = Tensor(shape: outShape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(outer, cost: size * inner) { r in
                for i in r {
                    let dst = po + i * inner
                    let src = p + i * size * inner
                    for j in 0..<inner { dst[j] = 0 }
                    for k in 0..<size {
                        let row = src + k * inner
                        for j in 0..<inner { dst[j] += row[j] }
                    }
                }
            }
        }
        let s = shape
        return out.recorded("sumAxis", [self]) { g in [g.broadcast(to: s)] }
    }

    /// Repeats this tensor along broadcast dimensions to `target`.
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        guard Shape.broadcast(shape, target) == target else {
            preconditionFailure("cannot broadcast \(shape) to \(target)")
        }
        return self + Tensor.zeros(target)
    }

    /// Maximum over `axis`; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        let (vals, idx) = maxAndIndex(a)
        var outShape = shape
        outShape[a] = 1
        var out = Tensor(shape: outShape, values: vals)
        let s = shape
        let (outer, size, inner) = Shape.split(shape, axis: a)
        out = out.recorded("max", [self]) { g in
            let gp = g.storage.pointer
            return [
                Tensor(shape: s) { o in
                    o.initialize(repeating: 0)
                    for i in 0..<outer {
                        for j in 0..<inner {
                            o[(i * size + idx[i * inner + j]) * inner + j] = gp[i * inner + j]
                        }
                    }
                }
            ]
        }
        if !keepDims { out = out.reshaped(shape.enumerated().filter { $0.offset != a }.map(\.element)) }
        return out
    }

    /// Index of the maximum over `axis` (first one on ties), as Ints.
    public func argmax(axis: Int) -> [Int] { maxAndIndex(Shape.axis(axis, rank: rank)).1 }

    /// Maximum element of the whole tensor.
    public func maxValue() -> Float { storage.buffer.max() ?? -.infinity }

    private func maxAndIndex(_ axis: Int) -> ([Float], [Int]) {
        let (outer, size, inner) = Shape.split(shape, axis: axis)
        var vals = [Float](repeating: -.infinity, count: outer * inner)
        var idx = [Int](repeating: 0, count: outer * inner)
        let p = storage.pointer
        for i in 0..<outer {
            for j in 0..<inner {
                var best = p[i * size * inner + j], bi = 0
                for k in 1..<Swift.max(size, 1) {
                    let v = p[(i * size + k) * inner + j]
                    // NaN wins, as in PyTorch.
                    if v > best || (v.isNaN && !best.isNaN) { best = v; bi = k }
                }
                vals[i * inner + j] = best
                idx[i * inner + j] = bi
            }
        }
        return (vals, idx)
    }
}
