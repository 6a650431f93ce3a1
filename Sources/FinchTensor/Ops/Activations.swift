import CFinchKernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Tensor {
    /// max(x, 0).
    public func relu() -> Tensor {
        let p = storage.pointer, n = count
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(n) { r in for i in r { po[i] = Swift.max(p[i], 0) } }
        }
        let y = out.detached()
        return out.recorded("relu", [self]) { g in
            // The output is positive exactly where the input was.
            let gp = g.storage.pointer, yp = y.storage.pointer
            return [
                Tensor(shape: y.shape) { o in
                    let po = o.baseAddress!
                    Parallel.forRanges(n) { r in for i in r { po[i] = yp[i] > 0 ? gp[i] : 0 } }
                }
            ]
        }
    }

    /// GELU in the exact erf form BERT uses: x · Φ(x) = ½x(1 + erf(x/√2)).
    public func gelu() -> Tensor {
        let p = storage.pointer, n = count
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(n, cost: 8) { r in finch_gelu(p + r.lowerBound, po + r.lowerBound, r.count) }
        }
        let x = detached()
        return out.recorded("gelu", [self]) { g in
            // d/dx = Φ(x) + x φ(x)
            let gp = g.storage.pointer, xp = x.storage.pointer
            return [
                Tensor(shape: x.shape) { o in
                    let po = o.baseAddress!
                    Parallel.forRanges(n, cost: 8) { r in
                        finch_gelu_backward(gp + r.lowerBound, xp + r.lowerBound, po + r.lowerBound, r.count)
                    }
                }
            ]
        }
    }

    /// GELU, tanh approximation ("gelu_new" in Hugging Face configs).
    public func geluTanh() -> Tensor {
        let c: Float = 0.7978845608028654  // √(2/π)
        return unary("geluTanh", { v in 0.5 * v * (1 + tanhf(c * (v + 0.044715 * v * v * v))) }) { g, x, _ in
            g
                * x.map { v in
                    let u = c * (v + 0.044715 * v * v * v)
                    let t = tanhf(u)
                    return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v)
                }
        }
    }
}
