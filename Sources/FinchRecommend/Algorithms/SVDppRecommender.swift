import FinchTensor

/// Hyperparameters of `svdpp`, with Surprise's `SVDpp` defaults.
public struct SVDppConfiguration: Sendable, Equatable {
    /// Latent factors (20).
    public var factors = 20
    /// Passes over the ratings (20).
    public var epochs = 20
    /// Learning rate of all parameters (0.007).
    public var lr: Float = 0.007
    /// Regularization of all parameters (0.02).
    public var reg: Float = 0.02
    /// Mean of the factor initialization (0).
    public var initMean: Float = 0
    /// Standard deviation of the factor initialization (0.1).
    public var initStd: Float = 0.1
    /// Per-parameter learning rates overriding `lr`.
    public var lrBu: Float?, lrBi: Float?, lrPu: Float?, lrQi: Float?, lrYj: Float?
    /// Per-parameter regularization overriding `reg`.
    public var regBu: Float?, regBi: Float?, regPu: Float?, regQi: Float?, regYj: Float?
    /// Seed of the initialization.
    public var seed: UInt64 = 0

    /// Surprise's defaults.
    public init() {}

    static let terms = ["bu", "bi", "pu", "qi", "yj"]
    static let names = SGDHyperparameters.names(terms: terms) + ["seed"]

    init(_ parameters: [String: String]) throws {
        var r = try HyperparameterReader(.svdpp, parameters)
        let h = try SGDHyperparameters.read(&r, defaults: shared, terms: Self.terms)
        (factors, epochs, lr, reg, initMean, initStd) = (h.factors, h.epochs, h.lr, h.reg, h.initMean, h.initStd)
        (lrBu, lrBi, lrPu, lrQi, lrYj) = (h.termLR["bu"]!, h.termLR["bi"]!, h.termLR["pu"]!, h.termLR["qi"]!, h.termLR["yj"]!)
        (regBu, regBi, regPu, regQi, regYj) = (
            h.termReg["bu"]!, h.termReg["bi"]!, h.termReg["pu"]!, h.termReg["qi"]!, h.termReg["yj"]!
        )
        seed = try r.seed()
        try r.finish()
    }

    /// The shared SGD hyperparameters as they stand.
    private var shared: SGDHyperparameters {
        SGDHyperparameters(
            factors: factors, epochs: epochs, lr: lr, reg: reg, initMean: initMean, initStd: initStd,
            termLR: ["bu": lrBu, "bi": lrBi, "pu": lrPu, "qi": lrQi, "yj": lrYj],
            termReg: ["bu": regBu, "bi": regBi, "pu": regPu, "qi": regQi, "yj": regYj])
    }

    var parameters: [String: String] {
        shared.parameters.merging(["seed": String(seed)]) { a, _ in a }
    }

    var rates: SGDRates {
        SGDHyperparameters.rates(lr: lr, reg: reg, lrs: [lrBu, lrBi, lrPu, lrQi], regs: [regBu, regBi, regPu, regQi])
    }
}

/// SVD++, Surprise's `SVDpp`:
///
///     r̂ᵤᵢ = μ + b_u + b_i + q_iᵀ(p_u + |I_u|^(−½) Σ_{j∈I_u} y_j)
///
/// with Surprise's SGD (user-major order; after each rating every y_j, j ∈ I_u,
/// moves by γ_y(e·q_i/√|I_u| − λ_y·y_j)). Surprise spends O(|I_u|·f) per
/// rating on that sweep. Finch gets the same numbers in O(f): within one
/// user's block every y_j undergoes the same affine map y ← a·y + c
/// (a = 1 − γ_yλ_y, c = γ_y·e·q_i/√|I_u|), so the block keeps the running
/// sum S = Σ y_j (S ← a·S + |I_u|·c) and the composed map (A, C), and applies
/// y_j ← A·y_j + C once per user at the end of the block. Exact as long as a
/// user rates an item once (readers merge duplicates).
public struct SVDppRecommender: Recommender {
    /// `.svdpp`.
    public static let algorithm = Algorithm.svdpp
    /// See `SVDppConfiguration`.
    public static let parameterNames = SVDppConfiguration.names

    /// The hyperparameters.
    public var configuration = SVDppConfiguration()
    /// The fitted ratings.
    public internal(set) var trainingData = RatingMatrix.empty(userCount: 0, itemCount: 0)
    /// μ.
    public internal(set) var globalMean: Float = 0
    /// b_u.
    public internal(set) var userBias: [Float] = []
    /// b_i.
    public internal(set) var itemBias: [Float] = []
    /// p, users × factors.
    public internal(set) var userFactors: [Float] = []
    /// q, items × factors.
    public internal(set) var itemFactors: [Float] = []
    /// y (implicit item factors), items × factors.
    public internal(set) var implicitFactors: [Float] = []
    /// Cache: |I_u|^(−½) Σ y_j per user (users × factors).
    private var userImplicit: [Float] = []
    /// Test hook: (p, q, y) to start from instead of the random draw.
    var initialFactors: (user: [Float], item: [Float], implicit: [Float])? = nil

    /// A model with `parameters` over Surprise's defaults.
    public init(parameters: [String: String] = [:]) throws {
        configuration = try SVDppConfiguration(parameters)
    }

    /// Every hyperparameter.
    public var parameters: [String: String] { configuration.parameters }

    /// Trains by SGD; the observer hears after every epoch.
    public mutating func fit(_ data: RatingMatrix, observer: TrainingObserver?) throws {
        guard data.ratingCount > 0 else { throw RecommendError.emptyTrainingSet }
        let c = configuration
        let k = c.factors
        trainingData = data
        globalMean = data.globalMean
        var rng = FinchRNG(seed: c.seed)
        if let initial = initialFactors {
            userFactors = initial.user
            itemFactors = initial.item
            implicitFactors = initial.implicit
        } else {
            userFactors = FactorSupport.normal(rows: data.userCount, width: k, mean: c.initMean, std: c.initStd, rng: &rng)
            itemFactors = FactorSupport.normal(rows: data.itemCount, width: k, mean: c.initMean, std: c.initStd, rng: &rng)
            implicitFactors = FactorSupport.normal(rows: data.itemCount, width: k, mean: c.initMean, std: c.initStd, rng: &rng)
        }
        userBias = [Float](repeating: 0, count: data.userCount)
        itemBias = [Float](repeating: 0, count: data.itemCount)
        let rates = c.rates
        let lrY = c.lrYj ?? c.lr, regY = c.regYj ?? c.reg
        let mu = globalMean
        var scratch = [Float](repeating: 0, count: 3 * k)
        try runEpochs(c.epochs, observer: observer, likelyCause: DivergenceCause.sgd(lr: c.lr)) { model in
            model.userFactors.withUnsafeMutableBufferPointer { P in
                model.itemFactors.withUnsafeMutableBufferPointer { Q in
                    model.implicitFactors.withUnsafeMutableBufferPointer { Y in
                        model.userBias.withUnsafeMutableBufferPointer { BU in
                            model.itemBias.withUnsafeMutableBufferPointer { BI in
                                scratch.withUnsafeMutableBufferPointer { S in
                                    data.byUser.withBuffers { ur in
                                        Self.epoch(
                                            ur, userCount: data.userCount, k: k, mu: mu, rates: rates, lrY: lrY, regY: regY,
                                            P: P.baseAddress!, Q: Q.baseAddress!, Y: Y.baseAddress!, BU: BU, BI: BI,
                                            scratch: S.baseAddress!)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        refreshImplicit()
    }

    /// One SGD pass; `scratch` holds 3·k floats (S, C, the implicit term).
    @inline(__always)
    static func epoch(
        _ ur: SparseRowBuffers, userCount: Int, k: Int, mu: Float, rates: SGDRates, lrY: Float, regY: Float,
        P: UnsafeMutablePointer<Float>, Q: UnsafeMutablePointer<Float>, Y: UnsafeMutablePointer<Float>,
        BU: UnsafeMutableBufferPointer<Float>, BI: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let sum = scratch, composed = scratch + k, implicitTerm = scratch + 2 * k
        let a = 1 - lrY * regY
        for u in 0..<userCount {
            let start = ur.offsets[u], end = ur.offsets[u + 1]
            if start == end { continue }
            let count = Float(end - start)
            let invSqrt = 1 / count.squareRoot()
            for f in 0..<k {
                sum[f] = 0
                composed[f] = 0
            }
            for n in start..<end { Kernels.axpy(1, Y + Int(ur.indices[n]) * k, sum, k) }
            var scaleA: Float = 1
            let p = P + u * k
            var bu = BU[u]
            for n in start..<end {
                let i = Int(ur.indices[n])
                let q = Q + i * k
                for f in 0..<k { implicitTerm[f] = sum[f] * invSqrt }
                let dot = Kernels.dot(q, p, k) + Kernels.dot(q, implicitTerm, k)
                let err = ur.values[n] - (mu + bu + BI[i] + dot)
                bu += rates.lrBu * (err - rates.regBu * bu)
                BI[i] += rates.lrBi * (err - rates.regBi * BI[i])
                Kernels.svdppStep(
                    p: p, q: q, implicitTerm: implicitTerm, sum: sum, composed: composed, k, err: err, lrP: rates.lrPu,
                    regP: rates.regPu, lrQ: rates.lrQi, regQ: rates.regQi, cy: lrY * err * invSqrt, a: a, count: count)
                scaleA *= a
            }
            BU[u] = bu
            for n in start..<end { Kernels.scaleAdd(scaleA, Y + Int(ur.indices[n]) * k, composed, k) }
        }
    }

    /// Recomputes the per-user implicit term from y and the training rows.
    private mutating func refreshImplicit() {
        let k = configuration.factors
        let data = trainingData
        var out = [Float](repeating: 0, count: data.userCount * k)
        out.withUnsafeMutableBufferPointer { O in
            implicitFactors.withUnsafeBufferPointer { Y in
                data.byUser.withBuffers { ur in
                    for u in 0..<data.userCount {
                        let start = ur.offsets[u], end = ur.offsets[u + 1]
                        if start == end { continue }
                        let dst = O.baseAddress! + u * k
                        for n in start..<end { Kernels.axpy(1, Y.baseAddress! + Int(ur.indices[n]) * k, dst, k) }
                        let s = 1 / Float(end - start).squareRoot()
                        for f in 0..<k { dst[f] *= s }
                    }
                }
            }
        }
        userImplicit = out
    }

    /// Surprise's `SVDpp.estimate`.
    public func estimate(user: Int, item: Int) -> Float? {
        let ku = trainingData.knowsUser(user), ki = trainingData.knowsItem(item)
        var e = globalMean
        if ku { e += userBias[user] }
        if ki { e += itemBias[item] }
        if ku && ki {
            let k = configuration.factors
            e += userFactors.withUnsafeBufferPointer { p in
                itemFactors.withUnsafeBufferPointer { q in
                    userImplicit.withUnsafeBufferPointer { y in
                        let qi = q.baseAddress! + item * k
                        return Kernels.dot(qi, p.baseAddress! + user * k, k) + Kernels.dot(qi, y.baseAddress! + user * k, k)
                    }
                }
            }
        }
        return e
    }

    /// The user vector p_u + |I_u|^(−½)Σy_j.
    private func userVector(_ user: Int) -> [Float] {
        let k = configuration.factors
        return (0..<k).map { userFactors[user * k + $0] + userImplicit[user * k + $0] }
    }

    /// μ + b_u + b_i + q_iᵀ(user vector) for every item (one sgemv).
    public func scoreItems(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let v = userVector(user)
        v.withUnsafeBufferPointer { vb in
            FactorSupport.scores(itemFactors: itemFactors, width: configuration.factors, vector: vb.baseAddress!, into: scores)
        }
        let base = globalMean + userBias[user]
        for i in 0..<scores.count { scores[i] += base + itemBias[i] }
    }

    /// One-sided SGD fold-in (see `SVDRecommender.foldIn`). A folded user's
    /// implicit term uses the y of the items the model knew; a new item's y
    /// starts at zero (it moves only in a full fit).
    public mutating func foldIn(_ data: RatingMatrix, users: [Int], items: [Int]) throws {
        let old = trainingData
        let c = configuration
        let k = c.factors
        let settings = FoldInSGD.Settings(
            k: k, mu: globalMean, biased: true, epochs: c.epochs, seed: c.seed, initMean: c.initMean, initStd: c.initStd)
        settings.grow(&userFactors, &userBias, rows: data.userCount, side: 1)
        settings.grow(&itemFactors, &itemBias, rows: data.itemCount, side: 2)
        FactorSupport.grow(&implicitFactors, width: k, to: data.itemCount, mean: 0, std: 0, seed: c.seed, side: 5)
        trainingData = data
        let rates = c.rates
        let y = implicitFactors
        FoldInSGD.solveRows(
            data.byUser, users, side: 3, own: &userFactors, ownBias: &userBias, other: itemFactors, otherBias: itemBias,
            otherKnown: old.knowsItem, lr: (rates.lrBu, rates.lrPu), reg: (rates.regBu, rates.regPu), settings: settings,
            shift: { u in
                // |I_u|^(-1/2) Σ y_j over the items the model knew.
                var shift = [Float](repeating: 0, count: k)
                var known = 0
                for n in data.byUser.range(ofRow: u) where old.knowsItem(Int(data.byUser.indices[n])) {
                    let j = Int(data.byUser.indices[n])
                    for f in 0..<k { shift[f] += y[j * k + f] }
                    known += 1
                }
                if known > 0 { for f in 0..<k { shift[f] /= Float(known).squareRoot() } }
                return shift
            })
        refreshImplicit()
        if !items.isEmpty {
            let effective = zip(userFactors, userImplicit).map { $0 + $1 }
            let userSet = Set(users)
            FoldInSGD.solveRows(
                data.byItem, items, side: 4, own: &itemFactors, ownBias: &itemBias, other: effective, otherBias: userBias,
                otherKnown: { old.knowsUser($0) || userSet.contains($0) }, lr: (rates.lrBi, rates.lrQi),
                reg: (rates.regBi, rates.regQi), settings: settings)
        }
    }

    /// `global_mean`, biases, `user_factors`, `item_factors`, `implicit_factors`.
    public func exportArrays() -> [String: [Float]] {
        [
            "global_mean": [globalMean], "user_bias": userBias, "item_bias": itemBias,
            "user_factors": userFactors, "item_factors": itemFactors,
            "implicit_factors": implicitFactors,
        ]
    }

    /// Restores the learnt arrays and rebuilds the implicit-term cache.
    public mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws {
        let k = configuration.factors
        self.trainingData = trainingData
        globalMean = try arrays.floats("global_mean", count: 1)[0]
        userBias = try arrays.floats("user_bias", count: trainingData.userCount)
        itemBias = try arrays.floats("item_bias", count: trainingData.itemCount)
        userFactors = try arrays.floats("user_factors", count: trainingData.userCount * k)
        itemFactors = try arrays.floats("item_factors", count: trainingData.itemCount * k)
        implicitFactors = try arrays.floats("implicit_factors", count: trainingData.itemCount * k)
        refreshImplicit()
    }
}
