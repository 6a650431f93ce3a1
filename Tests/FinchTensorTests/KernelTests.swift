import CFinchKernels
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTensor

/// The AVX-512 kernels against the portable ones and a Double reference, over
/// odd lengths (tails), extreme values and both paths.
@Suite(.serialized) struct KernelTests {
    static func inputs(_ n: Int, scale: Float = 4, seed: UInt64 = 1) -> [Float] {
        var rng = FinchRNG(seed: seed)
        var v = (0..<n).map { _ in rng.nextNormal() * scale }
        if n > 8 { v[0] = 0; v[1] = -30; v[2] = 30; v[3] = -1e-8; v[4] = 9; v[5] = -9 }
        return v
    }

    func bothPaths(_ body: () -> Void) {
        defer { KernelDispatch.force(nil) }
        KernelDispatch.force(nil)
        body()
        KernelDispatch.force(.portable)
        body()
    }

    @Test func expMatchesLibm() {
        let x = Self.inputs(1037, scale: 20) + [-104, -200, 88, -Float.infinity]
        bothPaths {
            var y = [Float](repeating: 0, count: x.count)
            finch_exp(x, &y, x.count)
            for (a, b) in zip(x, y) {
                let ref = Float(Foundation.exp(Double(a)))
                #expect(Swift.abs(b - ref) <= 3e-7 * Swift.max(ref, 1e-30) + 1e-37, "exp(\(a)) = \(b), want \(ref)")
            }
        }
    }

    @Test func geluMatchesErfForm() {
        let x = Self.inputs(1001)
        bothPaths {
            var y = [Float](repeating: 0, count: x.count), d = [Float](repeating: 0, count: x.count)
            let g = [Float](repeating: 1, count: x.count)
            finch_gelu(x, &y, x.count)
            finch_gelu_backward(g, x, &d, x.count)
            for i in x.indices {
                let v = Double(x[i])
                let cdf = 0.5 * (1 + Foundation.erf(v / 2.0.squareRoot()))
                let pdf = Foundation.exp(-0.5 * v * v) / (2 * Double.pi).squareRoot()
                #expect(Swift.abs(Double(y[i]) - v * cdf) < 2e-6 * Swift.max(1, Swift.abs(v)), "gelu(\(v))")
                #expect(Swift.abs(Double(d[i]) - (cdf + v * pdf)) < 2e-6, "gelu'(\(v))")
            }
        }
    }

    @Test(arguments: [1, 7, 16, 33, 128, 384])
    func rowKernelsAgreeAcrossPaths(n: Int) {
        let rows = 5
        let x = Tensor(shape: [rows, n], values: Self.inputs(rows * n, seed: UInt64(n)))
        let w = Tensor(shape: [n], values: Self.inputs(n, scale: 1, seed: 2))
        let b = Tensor(shape: [n], values: Self.inputs(n, scale: 1, seed: 3))
        let r = Tensor(shape: [rows, n], values: Self.inputs(rows * n, scale: 1, seed: 4))
        func run() -> [Tensor] {
            let xs = x.requiringGrad(), ws = w.requiringGrad(), bs = b.requiringGrad()
            let y1 = xs.softmax(), y2 = xs.logSoftmax(), y3 = xs.layerNorm(weight: ws, bias: bs, eps: 1e-5)
            ((y1 + y2 + y3) * r).sum().backward()
            return [y1, y2, y3, xs.grad!, ws.grad!, bs.grad!]
        }
        defer { KernelDispatch.force(nil) }
        KernelDispatch.force(.portable)
        let portable = run()
        KernelDispatch.force(nil)
        let fast = run()
        for (a, b) in zip(portable, fast) {
            #expect(TestSupport.isClose(a, b, atol: 2e-5, rtol: 1e-4), "n \(n): max diff \(TestSupport.maxAbsDifference(a, b))")
        }
    }
}
