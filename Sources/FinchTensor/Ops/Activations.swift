#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// max(x, 0).
    public func relu() -> Tensor {
        unary("relu", { $0 > 0 ? $0 : 0 }) { g, x, _ in g * x.map { $0 > 0 ? 1 : 0 } }
    }

    /// GELU in the exact erf form BERT uses: x · Φ(x) = ½x(1 + erf(x/√2)).
    public func gelu() -> Tensor {
        unary("gelu", { 0.5 * $0 * (1 + erff($0 * 0.70710678118654752)) }) { g, x, _ in
            // d/dx = Φ(x) + x φ(x)
            g * x.map { v in
                0.5 * (1 + erff(v * 0.70710678118654752)) + v * 0.39894228040143268 * expf(-0.5 * v * v)
            }
        }
    }

    /// GELU, tanh approximation ("gelu_new" in Hugging Face configs).
    public func geluTanh() -> Tensor {
        let c: Float = 0.7978845608028654  // √(2/π)
        return unary("geluTanh", { v in 0.5 * v * (1 + tanhf(c * (v + 0.044715 * v * v * v))) }) { g, x, _ in
            g * x.map { v in
                let u = c * (v + 0.044715 * v * v * v)
                let t = tanhf(u)
                return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v)
            }
        }
    }
}
