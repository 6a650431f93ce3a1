#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row kernels over the last dimension.
enum RowKernel {
    /// out = softmax(x) for each row, stable (max subtracted).
    @inline(__always)
    static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var m = -Float.infinity
        for j in 0..<n where x[j] > m { m = x[j] }
        if m == -.infinity { m = 0 }
        var s: Float = 0
        for j in 0..<n {
            let e = expf(x[j] - m)
            y[j] = e
            s += e
        }
        let inv = 1 / s
        for j in 0..<n { y[j] *= inv }
    }

    /// out = log_softmax(x) for each row.
    @inline(__always)
    static func logSoftmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var m = -Float.infinity
        for j in 0..<n where x[j] > m { m = x[j] }
        if m == -.infinity { m = 0 }
        var s: Float = 0
        for j in 0..<n { s += expf(x[j] - m) }
        let lse = m + logf(s)
        for j in 0..<n { y[j] = x[j] - lse }
    }
}

extension Tensor {
    /// Moves `axis` last, applies `f`, moves it back.
    private func alongLastAxis(_ axis: Int, _ f: (Tensor) -> Tensor) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        if a == rank - 1 { return f(self) }
        return f(transposed(a, -1)).transposed(a, -1)
    }

    /// Softmax over `axis` (last by default), computed stably.
    public func softmax(axis: Int = -1) -> Tensor {
        alongLastAxis(axis) { $0.softmaxLast() }
    }

    /// log(softmax) over `axis`, computed stably.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        alongLastAxis(axis) { $0.logSoftmaxLast() }
    }

    private func softmaxLast() -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let p = storage.pointer
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(rows, cost: n * 8) { r in
                for i in r { RowKernel.softmax(p + i * n, po + i * n, n) }
            }
        }
        let y = out.detached()
        return out.recorded("softmax", [self]) { g in
            // dx = y ⊙ (g − Σ g⊙y)
            let gp = g.storage.pointer, yp = y.storage.pointer
            return [Tensor(shape: y.shape) { o in
                let po = o.baseAddress!
                Parallel.forRanges(rows, cost: n * 4) { r in
                    for i in r {
                        let gr = gp + i * n, yr = yp + i * n, dr = po + i * n
                        var dot: Float = 0
                        for j in 0..<n { dot += gr[j] * yr[j] }
                        for j in 0..<n { dr[j] = yr[j] * (gr[j] - dot) }
                    }
                }
            }]
        }
    }

    private func logSoftmaxLast() -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let p = storage.pointer
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(rows, cost: n * 8) { r in
                for i in r { RowKernel.logSoftmax(p + i * n, po + i * n, n) }
            }
        }
        let y = out.detached()
        return out.recorded("logSoftmax", [self]) { g in
            // dx = g − softmax · Σ g
            let gp = g.storage.pointer, yp = y.storage.pointer
            return [Tensor(shape: y.shape) { o in
                let po = o.baseAddress!
                Parallel.forRanges(rows, cost: n * 8) { r in
                    for i in r {
                        let gr = gp + i * n, yr = yp + i * n, dr = po + i * n
                        var s: Float = 0
                        for j in 0..<n { s += gr[j] }
                        for j in 0..<n { dr[j] = gr[j] - expf(yr[j]) * s }
                    }
                }
            }]
        }
    }
}
