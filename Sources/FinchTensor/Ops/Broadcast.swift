/// A binary elementwise operation known at compile time, so the kernel loops
/// specialize and vectorize (a closure called per element would not).
protocol BinaryOperation {
    static func apply(_ a: Float, _ b: Float) -> Float
}

enum AddOperation: BinaryOperation { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
enum SubtractOperation: BinaryOperation { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
enum MultiplyOperation: BinaryOperation { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
enum DivideOperation: BinaryOperation { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b } }

/// Broadcasting kernels shared by the binary elementwise ops.
enum BroadcastKernel {
    /// `apply` for a closure; for rare ops where speed does not matter.
    static func apply(_ a: Tensor, _ b: Tensor, outShape: [Int], _ f: (Float, Float) -> Float) -> Tensor {
        let out = Tensor.zeros(outShape)
        let rank = outShape.count
        let sa = broadcastStrides(a.shape, rank: rank, outShape: outShape)
        let sb = broadcastStrides(b.shape, rank: rank, outShape: outShape)
        let pa = a.storage.pointer, pb = b.storage.pointer, po = out.storage.pointer
        for i in 0..<out.count {
            var rem = i, offA = 0, offB = 0
            var d = rank - 1
            while d >= 0 {
                let c = rem % outShape[d]
                rem /= outShape[d]
                offA += c * sa[d]
                offB += c * sb[d]
                d -= 1
            }
            po[i] = f(pa[offA], pb[offB])
        }
        return out
    }

    /// Applies `f` over `out` = broadcast(a, b). The innermost dimension is a
    /// contiguous loop; outer dimensions walk with per-operand strides (0 where
    /// an operand is broadcast).
    static func apply<Op: BinaryOperation>(_ a: Tensor, _ b: Tensor, outShape: [Int], _: Op.Type) -> Tensor {
        let n = Shape.count(outShape)
        let pa = a.storage.pointer, pb = b.storage.pointer
        if a.shape == b.shape {
            return Tensor(shape: outShape) { out in
                let po = out.baseAddress!
                Parallel.forRanges(n) { r in
                    for i in r { po[i] = Op.apply(pa[i], pb[i]) }
                }
            }
        }
        if b.count == 1 {
            let s = pb[0]
            return Tensor(shape: outShape) { out in
                let po = out.baseAddress!
                Parallel.forRanges(n) { r in for i in r { po[i] = Op.apply(pa[i], s) } }
            }
        }
        if a.count == 1 {
            let s = pa[0]
            return Tensor(shape: outShape) { out in
                let po = out.baseAddress!
                Parallel.forRanges(n) { r in for i in r { po[i] = Op.apply(s, pb[i]) } }
            }
        }
        let rank = outShape.count
        let sa = broadcastStrides(a.shape, rank: rank, outShape: outShape)
        let sb = broadcastStrides(b.shape, rank: rank, outShape: outShape)
        let inner = outShape.last ?? 1
        let ia = sa.last ?? 0, ib = sb.last ?? 0
        let rows = n / max(inner, 1)
        return Tensor(shape: outShape) { out in
            let po = out.baseAddress!
            Parallel.forRanges(rows, cost: inner) { r in
                for row in r {
                    // Decompose the row index into outer coordinates.
                    var rem = row, offA = 0, offB = 0
                    var d = rank - 2
                    while d >= 0 {
                        let c = rem % outShape[d]
                        rem /= outShape[d]
                        offA += c * sa[d]
                        offB += c * sb[d]
                        d -= 1
                    }
                    let o = po + row * inner
                    let xa = pa + offA, xb = pb + offB
                    if ia == 1 && ib == 1 {
                        for j in 0..<inner { o[j] = Op.apply(xa[j], xb[j]) }
                    } else if ia == 1 {
                        let v = xb[0]
                        for j in 0..<inner { o[j] = Op.apply(xa[j], v) }
                    } else if ib == 1 {
                        let v = xa[0]
                        for j in 0..<inner { o[j] = Op.apply(v, xb[j]) }
                    } else {
                        let u = xa[0], v = xb[0]
                        for j in 0..<inner { o[j] = Op.apply(u, v) }
                    }
                }
            }
        }
    }

    /// Strides of `shape` seen as `outShape` (0 on broadcast dimensions).
    static func broadcastStrides(_ shape: [Int], rank: Int, outShape: [Int]) -> [Int] {
        let own = Shape.strides(shape)
        var s = [Int](repeating: 0, count: rank)
        let off = rank - shape.count
        for i in 0..<shape.count where shape[i] == outShape[i + off] && shape[i] != 1 {
            s[i + off] = own[i]
        }
        return s
    }
}

extension Tensor {
    /// Sums this gradient down to `target` shape, undoing a broadcast.
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        precondition(lead >= 0, "cannot reduce \(shape) to \(target)")
        var axes: [Int] = Array(0..<lead)
        for i in 0..<target.count where target[i] == 1 && shape[i + lead] != 1 { axes.append(i + lead) }
        var r = axes.isEmpty ? self : sum(axes: axes, keepDims: true)
        if r.shape != target { r = r.reshaped(target) }
        return r
    }
}
