import CFinchKernels

extension Tensor {
    /// Moves `axis` last, applies `f`, moves it back.
    private func alongLastAxis(_ axis: Int, _ f: (Tensor) -> Tensor) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        if a == rank - 1 { return f(self) }
        return f(transposed(a, -1)).transposed(a, -1)
    }

    /// Softmax over `axis` (last by default), computed stably (max subtracted).
    public func softmax(axis: Int = -1) -> Tensor {
        alongLastAxis(axis) { $0.rowKernel("softmax", finch_softmax_rows, backward: finch_softmax_backward_rows) }
    }

    /// log(softmax) over `axis`, computed stably.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        alongLastAxis(axis) { $0.rowKernel("logSoftmax", finch_log_softmax_rows, backward: finch_log_softmax_backward_rows) }
    }

    /// Applies a row kernel over the last dimension, rows split across cores; the
    /// backward kernel maps (g, y) to dx.
    private func rowKernel(
        _ name: String,
        _ forward: @escaping (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int) -> Void,
        backward: @escaping (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int) -> Void
    ) -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let p = storage.pointer
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(rows, cost: n * 4) { r in
                forward(p + r.lowerBound * n, po + r.lowerBound * n, r.count, n)
            }
        }
        let y = out.detached()
        return out.recorded(name, [self]) { g in
            let gp = g.storage.pointer, yp = y.storage.pointer
            return [
                Tensor(shape: y.shape) { o in
                    let po = o.baseAddress!
                    Parallel.forRanges(rows, cost: n * 3) { r in
                        backward(gp + r.lowerBound * n, yp + r.lowerBound * n, po + r.lowerBound * n, r.count, n)
                    }
                }
            ]
        }
    }
}
