/// Small dense kernels for the training loops, on raw pointers.
///
/// Written with `SIMD8<Float>` and plain `*`/`+` so they vectorize under the
/// default x86-64 target (see DESIGN.md: `addProduct` would lower to per-lane
/// `fmaf` calls). Lengths are factor counts (tens to hundreds), too short for
/// a BLAS call to pay for itself inside a per-rating loop.
enum Kernels {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// Σ a[f]·b[f] over `n` values.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        #if DEBUG
            // Unoptimized builds run generic SIMD code ~50× slower than scalar code.
            var s: Float = 0
            for f in 0..<n { s += a[f] * b[f] }
            return s
        #else
            var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
            var f = 0
            while f + 16 <= n {
                acc0 += load(a + f) * load(b + f)
                acc1 += load(a + f + 8) * load(b + f + 8)
                f += 16
            }
            if f + 8 <= n {
                acc0 += load(a + f) * load(b + f)
                f += 8
            }
            var s = (acc0 + acc1).sum()
            while f < n {
                s += a[f] * b[f]
                f += 1
            }
            return s
        #endif
    }

    /// y ← y + α·x over `n` values.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        #if DEBUG
            for f in 0..<n { y[f] += alpha * x[f] }
        #else
            let a = SIMD8<Float>(repeating: alpha)
            var f = 0
            while f + 8 <= n {
                store(load(y + f) + a * load(x + f), y + f)
                f += 8
            }
            while f < n {
                y[f] += alpha * x[f]
                f += 1
            }
        #endif
    }

    /// y ← α·y + x over `n` values.
    @inline(__always)
    static func scaleAdd(_ alpha: Float, _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) {
        #if DEBUG
            for f in 0..<n { y[f] = alpha * y[f] + x[f] }
        #else
            let a = SIMD8<Float>(repeating: alpha)
            var f = 0
            while f + 8 <= n {
                store(a * load(y + f) + load(x + f), y + f)
                f += 8
            }
            while f < n {
                y[f] = alpha * y[f] + x[f]
                f += 1
            }
        #endif
    }

    /// The paired SGD step of biased matrix factorization (Surprise's SVD):
    /// p[f] += lrP·(err·q[f] − regP·p[f]),  q[f] += lrQ·(err·p[f] − regQ·q[f]),
    /// both right-hand sides using the values from before the step.
    @inline(__always)
    static func sgdPair(
        _ p: UnsafeMutablePointer<Float>, _ q: UnsafeMutablePointer<Float>, _ n: Int,
        err: Float, lrP: Float, regP: Float, lrQ: Float, regQ: Float
    ) {
        var f = 0
        #if !DEBUG
            let e = SIMD8<Float>(repeating: err)
            let lp = SIMD8<Float>(repeating: lrP), rp = SIMD8<Float>(repeating: regP)
            let lq = SIMD8<Float>(repeating: lrQ), rq = SIMD8<Float>(repeating: regQ)
            while f + 8 <= n {
                let pv = load(p + f), qv = load(q + f)
                store(pv + lp * (e * qv - rp * pv), p + f)
                store(qv + lq * (e * pv - rq * qv), q + f)
                f += 8
            }
        #endif
        while f < n {
            let pf = p[f], qf = q[f]
            p[f] = pf + lrP * (err * qf - regP * pf)
            q[f] = qf + lrQ * (err * pf - regQ * qf)
            f += 1
        }
    }

    /// The per-rating factor step of SVD++ with the lazy implicit sweep (see
    /// `SVDppRecommender`): with t = the implicit term and c_f = cy·q_f,
    /// p += lrP(e·q − regP·p), q += lrQ(e·(p + t) − regQ·q),
    /// S ← a·S + count·c, C ← a·C + c (old p and q on the right).
    @inline(__always)
    static func svdppStep(
        p: UnsafeMutablePointer<Float>, q: UnsafeMutablePointer<Float>, implicitTerm t: UnsafePointer<Float>,
        sum: UnsafeMutablePointer<Float>, composed: UnsafeMutablePointer<Float>, _ n: Int, err: Float,
        lrP: Float, regP: Float, lrQ: Float, regQ: Float, cy: Float, a: Float, count: Float
    ) {
        var f = 0
        #if !DEBUG
            let e = SIMD8<Float>(repeating: err)
            let lp = SIMD8<Float>(repeating: lrP), rp = SIMD8<Float>(repeating: regP)
            let lq = SIMD8<Float>(repeating: lrQ), rq = SIMD8<Float>(repeating: regQ)
            let cyv = SIMD8<Float>(repeating: cy), av = SIMD8<Float>(repeating: a), nv = SIMD8<Float>(repeating: count)
            while f + 8 <= n {
                let pv = load(p + f), qv = load(q + f), tv = load(t + f)
                store(pv + lp * (e * qv - rp * pv), p + f)
                store(qv + lq * (e * (pv + tv) - rq * qv), q + f)
                let cv = cyv * qv
                store(av * load(sum + f) + nv * cv, sum + f)
                store(av * load(composed + f) + cv, composed + f)
                f += 8
            }
        #endif
        while f < n {
            let pf = p[f], qf = q[f]
            p[f] = pf + lrP * (err * qf - regP * pf)
            q[f] = qf + lrQ * (err * (pf + t[f]) - regQ * qf)
            let cf = cy * qf
            sum[f] = a * sum[f] + count * cf
            composed[f] = a * composed[f] + cf
            f += 1
        }
    }

    /// out ← A·x for a dense row-major n×n matrix A.
    @inline(__always)
    static func matVec(_ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        for r in 0..<n { out[r] = dot(a + r * n, x, n) }
    }

    /// Solves A·x = b for a symmetric positive definite n×n A (row-major) by
    /// Cholesky in Double. `b` is overwritten with x. Returns false (leaving
    /// `b` unchanged) when A is not positive definite.
    static func choleskySolve(_ a: UnsafePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ n: Int) -> Bool {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = Double(a[i * n + j])
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    if !(s > 0) { return false }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = Double(b[i])
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * y[k] }
            y[i] = s / l[i * n + i]
        }
        for i in 0..<n { b[i] = Float(y[i]) }
        return true
    }

    /// Cosine of the angle between two vectors, 0 when either is zero.
    @inline(__always)
    static func cosine(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        let d = dot(a, b, n)
        let na = dot(a, a, n), nb = dot(b, b, n)
        let denom = (na * nb).squareRoot()
        return denom > 0 ? d / denom : 0
    }
}
