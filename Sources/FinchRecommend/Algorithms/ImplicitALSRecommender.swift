import FinchDistributed
import FinchTensor

/// Hyperparameters of `als`, with the `implicit` library's defaults.
public struct ImplicitALSConfiguration: Sendable, Equatable {
    /// How each user's (item's) least-squares system is solved.
    public enum Solver: String, Sendable, CaseIterable {
        /// `cg_steps` conjugate-gradient steps from the previous solution (implicit's default).
        case cg
        /// Exact Cholesky solve (implicit's `use_cg=False`).
        case cholesky
    }
    /// Latent factors (100).
    public var factors = 100
    /// L2 regularization λ (0.01).
    public var reg: Float = 0.01
    /// Confidence scale: c = alpha·value (1.0; implicit ≥ 0.7 multiplies, no "1 +").
    public var alpha: Float = 1
    /// Alternating sweeps (`iterations`, 15).
    public var epochs = 15
    /// Conjugate-gradient steps per solve (3).
    public var cgSteps = 3
    /// The solver.
    public var solver = Solver.cg
    /// Seed of the initialization.
    public var seed: UInt64 = 0

    /// The `implicit` library's defaults.
    public init() {}

    static let names = ["factors", "reg", "alpha", "epochs", "cg_steps", "solver", "seed"]

    init(_ parameters: [String: String]) throws {
        var r = try HyperparameterReader(.als, parameters)
        factors = try r.int("factors", default: factors, minimum: 1)
        reg = try r.float("reg", default: reg)
        alpha = try r.float("alpha", default: alpha)
        epochs = try r.int("epochs", default: epochs)
        cgSteps = try r.int("cg_steps", default: cgSteps, minimum: 1)
        solver = try r.choice("solver", default: solver)
        seed = try r.seed()
        try r.finish()
    }

    var parameters: [String: String] {
        [
            "factors": String(factors), "reg": parameterText(reg), "alpha": parameterText(alpha), "epochs": String(epochs),
            "cg_steps": String(cgSteps), "solver": solver.rawValue, "seed": String(seed),
        ]
    }
}

/// Implicit-feedback matrix factorization by alternating least squares (Hu,
/// Koren & Volinsky 2008), with the `implicit` library's semantics:
///
///     minimize Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ(Σ|x_u|² + Σ|y_i|²)
///     p_ui = 1 for stored entries (0 otherwise), c_ui = alpha·value for stored
///     entries and 1 otherwise (a negative value means a confident dislike, p = 0).
///
/// Each half-step solves, for every user in parallel,
/// (YᵀY + λI + Σ_{i∈I_u}(c_ui − 1) y_i y_iᵀ) x_u = Σ_{i∈I_u, value>0} c_ui y_i
/// without forming the matrix: `cg_steps` conjugate-gradient steps from the
/// previous x_u, YᵀY once per half-step by BLAS. Factors start at U[0, 0.01).
public struct ImplicitALSRecommender: Recommender {
    /// `.als`.
    public static let algorithm = Algorithm.als
    /// See `ImplicitALSConfiguration`.
    public static let parameterNames = ImplicitALSConfiguration.names

    /// The hyperparameters.
    public var configuration = ImplicitALSConfiguration()
    /// The fitted interactions.
    public internal(set) var trainingData = RatingMatrix.empty(userCount: 0, itemCount: 0)
    /// x, users × factors.
    public internal(set) var userFactors: [Float] = []
    /// y, items × factors.
    public internal(set) var itemFactors: [Float] = []
    /// Test hook: factors to start from instead of the random draw.
    var initialFactors: (user: [Float], item: [Float])? = nil
    /// Set to fit across the ranks of a job (`DistributedALS`); nil: one process.
    public var communicator: (any Communicator)? = nil

    /// A model with `parameters` over the `implicit` defaults.
    public init(parameters: [String: String] = [:]) throws {
        configuration = try ImplicitALSConfiguration(parameters)
    }

    /// Every hyperparameter.
    public var parameters: [String: String] { configuration.parameters }

    /// Alternates user and item solves; the observer hears after every sweep.
    public mutating func fit(_ data: RatingMatrix, observer: TrainingObserver?) throws {
        guard data.ratingCount > 0 else { throw RecommendError.emptyTrainingSet }
        let c = configuration
        let k = c.factors
        trainingData = data
        var rng = FinchRNG(seed: c.seed)
        userFactors = (0..<(data.userCount * k)).map { _ in rng.nextUniform() * 0.01 }
        itemFactors = (0..<(data.itemCount * k)).map { _ in rng.nextUniform() * 0.01 }
        if let initial = initialFactors {
            precondition(initial.user.count == userFactors.count && initial.item.count == itemFactors.count)
            (userFactors, itemFactors) = (initial.user, initial.item)
        }
        if let communicator, communicator.size > 1 {
            try fitDistributed(data, over: communicator, observer: observer)
            return
        }
        try runEpochs(c.epochs, observer: observer, likelyCause: DivergenceCause.extremeValues) { model in
            ALSSolver.solveAll(
                data.byUser, scale: c.alpha, target: &model.userFactors, fixed: model.itemFactors, k: k, reg: c.reg, configuration: c)
            ALSSolver.solveAll(
                data.byItem, scale: c.alpha, target: &model.itemFactors, fixed: model.userFactors, k: k, reg: c.reg, configuration: c)
        }
    }

    /// x_uᵀy_i (a preference score, not a rating), nil for an unknown side.
    public func estimate(user: Int, item: Int) -> Float? {
        guard trainingData.knowsUser(user), trainingData.knowsItem(item) else { return nil }
        let k = configuration.factors
        return userFactors.withUnsafeBufferPointer { p in
            itemFactors.withUnsafeBufferPointer { q in Kernels.dot(p.baseAddress! + user * k, q.baseAddress! + item * k, k) }
        }
    }

    /// x_uᵀy_i for every item (one sgemv).
    public func scoreItems(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let k = configuration.factors
        userFactors.withUnsafeBufferPointer { p in
            FactorSupport.scores(itemFactors: itemFactors, width: k, vector: p.baseAddress! + user * k, into: scores)
        }
    }

    /// Exact fold-in (the `implicit` library's `recalculate_user`/`_item`):
    /// each listed user is solved by Cholesky against the fixed item factors
    /// (new items, still zero, contribute nothing), then each listed item
    /// against all user factors.
    public mutating func foldIn(_ data: RatingMatrix, users: [Int], items: [Int]) throws {
        let c = configuration
        let k = c.factors
        userFactors.append(contentsOf: repeatElement(0, count: Swift.max(0, data.userCount - trainingData.userCount) * k))
        itemFactors.append(contentsOf: repeatElement(0, count: Swift.max(0, data.itemCount - trainingData.itemCount) * k))
        trainingData = data
        var exact = c
        exact.solver = .cholesky
        ALSSolver.solve(
            data.byUser, rows: users, scale: c.alpha, target: &userFactors, fixed: itemFactors, k: k, reg: c.reg, configuration: exact)
        ALSSolver.solve(
            data.byItem, rows: items, scale: c.alpha, target: &itemFactors, fixed: userFactors, k: k, reg: c.reg, configuration: exact)
    }

    /// `user_factors`, `item_factors`.
    public func exportArrays() -> [String: [Float]] {
        ["user_factors": userFactors, "item_factors": itemFactors]
    }

    /// Restores the factors.
    public mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws {
        let k = configuration.factors
        self.trainingData = trainingData
        userFactors = try arrays.floats("user_factors", count: trainingData.userCount * k)
        itemFactors = try arrays.floats("item_factors", count: trainingData.itemCount * k)
    }
}

/// The per-row weighted least-squares solves of implicit ALS.
enum ALSSolver {
    /// Gram matrix FᵀF + λI (k×k, row-major) of the fixed side, by one GEMM.
    static func gram(_ fixed: [Float], rows: Int, k: Int, reg: Float) -> [Float] {
        var g = [Float](repeating: 0, count: k * k)
        if rows > 0 {
            fixed.withUnsafeBufferPointer { f in
                g.withUnsafeMutableBufferPointer { gb in
                    GEMM.sgemm(
                        transposeA: true, m: k, n: k, k: rows, a: f.baseAddress!, lda: k, b: f.baseAddress!, ldb: k,
                        c: gb.baseAddress!, ldc: k)
                }
            }
        }
        for d in 0..<k { g[d * k + d] += reg }
        return g
    }

    /// Solves every row of `target`.
    static func solveAll(
        _ matrix: SparseRows, scale: Float, target: inout [Float], fixed: [Float], k: Int, reg: Float,
        configuration: ImplicitALSConfiguration
    ) {
        solve(matrix, rows: nil, scale: scale, target: &target, fixed: fixed, k: k, reg: reg, configuration: configuration)
    }

    /// Solves the listed rows of `target` (all when nil), in parallel blocks.
    static func solve(
        _ matrix: SparseRows, rows: [Int]?, scale: Float, target: inout [Float], fixed: [Float], k: Int, reg: Float,
        configuration: ImplicitALSConfiguration
    ) {
        let count = rows?.count ?? matrix.rowCount
        if count == 0 { return }
        let g = gram(fixed, rows: fixed.count / k, k: k, reg: reg)
        let averageNonzeros = matrix.entryCount / Swift.max(matrix.rowCount, 1) + 1
        let cost =
            configuration.solver == .cg ? (configuration.cgSteps + 1) * (k * k + 2 * averageNonzeros * k) : k * k * (k + averageNonzeros)
        let list = rows ?? []
        target.withUnsafeMutableBufferPointer { T in
            fixed.withUnsafeBufferPointer { F in
                g.withUnsafeBufferPointer { G in
                    list.withUnsafeBufferPointer { L in
                        matrix.withBuffers { m in
                            let t = T.baseAddress!, f = F.baseAddress!, gram = G.baseAddress!
                            BlockScheduler.forEachBlock(count, cost: cost) { range in
                                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * k + k * k)
                                defer { scratch.deallocate() }
                                for n in range {
                                    let row = L.isEmpty ? n : L[n]
                                    let start = m.offsets[row], end = m.offsets[row + 1]
                                    let x = t + row * k
                                    if configuration.solver == .cg {
                                        conjugateGradient(
                                            x: x, gram: gram, fixed: f, indices: m.indices.baseAddress! + start,
                                            values: m.values.baseAddress! + start, count: end - start, scale: scale, k: k,
                                            steps: configuration.cgSteps, scratch: scratch)
                                    } else {
                                        cholesky(
                                            x: x, gram: gram, fixed: f, indices: m.indices.baseAddress! + start,
                                            values: m.values.baseAddress! + start, count: end - start, scale: scale, k: k,
                                            scratch: scratch)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `implicit`'s `least_squares_cg` for one row: r = b − A·x, then `steps`
    /// CG iterations, A·p computed as G·p + Σ (c − 1)(y·p) y.
    @inline(__always)
    static func conjugateGradient(
        x: UnsafeMutablePointer<Float>, gram: UnsafePointer<Float>, fixed: UnsafePointer<Float>,
        indices: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int, scale: Float, k: Int, steps: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let r = scratch, p = scratch + k, ap = scratch + 2 * k
        Kernels.matVec(gram, x, r, k)
        for f in 0..<k { r[f] = -r[f] }
        for n in 0..<count {
            let y = fixed + Int(indices[n]) * k
            var confidence = scale * values[n]
            var weight: Float = confidence
            if confidence <= 0 {
                weight = 0
                confidence = -confidence
            }
            Kernels.axpy(weight - (confidence - 1) * Kernels.dot(y, x, k), y, r, k)
        }
        for f in 0..<k { p[f] = r[f] }
        var rsOld = Kernels.dot(r, r, k)
        if rsOld < 1e-20 { return }
        for _ in 0..<steps {
            Kernels.matVec(gram, p, ap, k)
            for n in 0..<count {
                let y = fixed + Int(indices[n]) * k
                let confidence = Swift.abs(scale * values[n])
                Kernels.axpy((confidence - 1) * Kernels.dot(y, p, k), y, ap, k)
            }
            let alpha = rsOld / Kernels.dot(p, ap, k)
            Kernels.axpy(alpha, p, x, k)
            Kernels.axpy(-alpha, ap, r, k)
            let rsNew = Kernels.dot(r, r, k)
            if rsNew < 1e-20 { break }
            Kernels.scaleAdd(rsNew / rsOld, p, r, k)
            rsOld = rsNew
        }
    }

    /// Exact solve of one row: A = G + Σ (c − 1) y yᵀ, b = Σ_{value>0} c·y.
    static func cholesky(
        x: UnsafeMutablePointer<Float>, gram: UnsafePointer<Float>, fixed: UnsafePointer<Float>,
        indices: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int, scale: Float, k: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let a = scratch + 3 * k, b = scratch
        a.update(from: gram, count: k * k)
        for f in 0..<k { b[f] = 0 }
        for n in 0..<count {
            let y = fixed + Int(indices[n]) * k
            var confidence = scale * values[n]
            if confidence > 0 {
                Kernels.axpy(confidence, y, b, k)
            } else {
                confidence = -confidence
            }
            for r in 0..<k { Kernels.axpy((confidence - 1) * y[r], y, a + r * k, k) }
        }
        if Kernels.choleskySolve(a, b, k) { x.update(from: b, count: k) }
    }
}
