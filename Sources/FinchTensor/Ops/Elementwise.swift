import CFinchKernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Tensor {
    func binary<Op: BinaryOperation>(
        _ other: Tensor, _ name: String, _ op: Op.Type,
        backward: @escaping (_ g: Tensor, _ a: Tensor, _ b: Tensor, _ need: (Bool, Bool)) -> (Tensor?, Tensor?)
    ) -> Tensor {
        guard let outShape = Shape.broadcast(shape, other.shape) else {
            preconditionFailure("\(name): shapes \(shape) and \(other.shape) do not broadcast")
        }
        let out = BroadcastKernel.apply(self, other, outShape: outShape, op)
        let a = self.detached(), b = other.detached()
        let sa = shape, sb = other.shape
        let need = (node != nil, other.node != nil)
        return out.recorded(name, [self, other]) { g in
            let (ga, gb) = backward(g, a, b, need)
            return [need.0 ? ga?.sum(toShape: sa) : nil, need.1 ? gb?.sum(toShape: sb) : nil]
        }
    }

    @inline(__always)
    func unary(_ name: String, _ f: (Float) -> Float, backward: @escaping (_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor) -> Tensor {
        let p = storage.pointer
        let n = count
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(n, cost: 4) { r in for i in r { po[i] = f(p[i]) } }
        }
        let x = detached(), y = out.detached()
        return out.recorded(name, [self]) { g in [backward(g, x, y)] }
    }

    /// Elementwise map without autodiff.
    public func map(_ f: (Float) -> Float) -> Tensor {
        let p = storage.pointer
        return Tensor(shape: shape) { o in for i in 0..<o.count { o[i] = f(p[i]) } }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        a.binary(b, "add", AddOperation.self) { g, _, _, _ in (g, g) }
    }
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        a.binary(b, "sub", SubtractOperation.self) { g, _, _, n in (g, n.1 ? -g : nil) }
    }
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        a.binary(b, "mul", MultiplyOperation.self) { g, a, b, n in (n.0 ? g * b : nil, n.1 ? g * a : nil) }
    }
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        a.binary(b, "div", DivideOperation.self) { g, a, b, n in (n.0 ? g / b : nil, n.1 ? -(g * a) / (b * b) : nil) }
    }
    public static prefix func - (a: Tensor) -> Tensor { Tensor(scalar: 0) - a }
    public static func + (a: Tensor, s: Float) -> Tensor { a + Tensor(scalar: s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func - (s: Float, a: Tensor) -> Tensor { Tensor(scalar: s) - a }
    public static func * (a: Tensor, s: Float) -> Tensor { a * Tensor(scalar: s) }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

    /// Elementwise maximum of two tensors (gradient to the larger; ties to `self`).
    public func maximum(_ other: Tensor) -> Tensor {
        binary(other, "maximum", MaximumOperation.self) { g, a, b, _ in
            let m = a.greaterEqual(b)
            return (g * m, g * (1 - m))
        }
    }

    /// Raises to a constant power.
    public func pow(_ e: Float) -> Tensor {
        unary("pow", { powf($0, e) }) { g, x, _ in g * x.map { e * powf($0, e - 1) } }
    }
    /// Square.
    public func squared() -> Tensor { self * self }
    /// e^x.
    public func exp() -> Tensor {
        let p = storage.pointer, n = count
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(n, cost: 4) { r in finch_exp(p + r.lowerBound, po + r.lowerBound, r.count) }
        }
        let y = out.detached()
        return out.recorded("exp", [self]) { g in [g * y] }
    }
    /// Natural logarithm.
    public func log() -> Tensor { unary("log", { logf($0) }) { g, x, _ in g / x } }
    /// Square root.
    public func sqrt() -> Tensor { unary("sqrt", { sqrtf($0) }) { g, _, y in g / (2 * y) } }
    /// Hyperbolic tangent.
    public func tanh() -> Tensor { unary("tanh", { tanhf($0) }) { g, _, y in g * (1 - y * y) } }
    /// Error function.
    public func erf() -> Tensor {
        unary("erf", { erff($0) }) { g, x, _ in g * x.map { 1.1283791670955126 * expf(-$0 * $0) } }
    }
    /// Logistic sigmoid.
    public func sigmoid() -> Tensor {
        unary("sigmoid", { 1 / (1 + expf(-$0)) }) { g, _, y in g * y * (1 - y) }
    }
    /// Absolute value.
    public func abs() -> Tensor { unary("abs", { Swift.abs($0) }) { g, x, _ in g * x.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } } }
    /// Clamps to [low, high]; gradient passes where the input was inside.
    public func clamped(min low: Float, max high: Float) -> Tensor {
        unary("clamp", { Swift.min(Swift.max($0, low), high) }) { g, x, _ in
            g * x.map { $0 >= low && $0 <= high ? 1 : 0 }
        }
    }
}

enum MaximumOperation: BinaryOperation { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) } }
