extension Tensor {
    /// Rows of a 2-D table picked by `indices` (embedding lookup). Result shape
    /// `indexShape + [dim]`. The backward pass scatter-adds into the table, so a
    /// repeated index accumulates.
    public func gatherRows(_ indices: [Int], indexShape: [Int]? = nil) -> Tensor {
        precondition(rank == 2, "gatherRows needs a 2-D table, got \(shape)")
        let rows = shape[0], dim = shape[1]
        for i in indices { precondition(i >= 0 && i < rows, "index \(i) out of range for a table of \(rows) rows") }
        let iShape = indexShape ?? [indices.count]
        precondition(Shape.count(iShape) == indices.count, "index shape \(iShape) for \(indices.count) indices")
        let p = storage.pointer
        let out = Tensor(shape: iShape + [dim]) { o in
            let po = o.baseAddress!
            indices.withUnsafeBufferPointer { idx in
                Parallel.forRanges(idx.count, cost: dim) { r in
                    for i in r { (po + i * dim).update(from: p + idx[i] * dim, count: dim) }
                }
            }
        }
        let s = shape
        return out.recorded("gatherRows", [self]) { g in
            let gp = g.storage.pointer
            return [
                Tensor(shape: s) { o in
                    o.initialize(repeating: 0)
                    let po = o.baseAddress!
                    for (i, row) in indices.enumerated() {
                        let dst = po + row * dim, src = gp + i * dim
                        for j in 0..<dim { dst[j] += src[j] }
                    }
                }
            ]
        }
    }

    /// Rows of a 2-D tensor at `indices` along the first axis, as `gatherRows`.
    public func indexSelect(rows indices: [Int]) -> Tensor { gatherRows(indices) }
}
