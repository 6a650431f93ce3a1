import FinchTensor

/// Hyperparameters of `svd`, with Surprise's `SVD` defaults.
public struct SVDConfiguration: Sendable, Equatable {
    /// Latent factors (`n_factors`, 100).
    public var factors = 100
    /// Passes over the ratings (`n_epochs`, 20).
    public var epochs = 20
    /// Learning rate of all parameters (`lr_all`, 0.005).
    public var lr: Float = 0.005
    /// Regularization of all parameters (`reg_all`, 0.02).
    public var reg: Float = 0.02
    /// Mean of the factor initialization (0).
    public var initMean: Float = 0
    /// Standard deviation of the factor initialization (0.1).
    public var initStd: Float = 0.1
    /// Use μ and the biases (true); false is plain MF r̂ = p·q.
    public var biased = true
    /// Per-parameter learning rates overriding `lr` (nil: use `lr`).
    public var lrBu: Float?, lrBi: Float?, lrPu: Float?, lrQi: Float?
    /// Per-parameter regularization overriding `reg` (nil: use `reg`).
    public var regBu: Float?, regBi: Float?, regPu: Float?, regQi: Float?
    /// Seed of the initialization (Finch's default 0; Surprise's is unseeded).
    public var seed: UInt64 = 0

    /// Surprise's defaults.
    public init() {}

    static let terms = ["bu", "bi", "pu", "qi"]
    static let names = SGDHyperparameters.names(terms: terms) + ["biased", "seed"]

    init(_ algorithm: Algorithm, _ parameters: [String: String]) throws {
        var r = try HyperparameterReader(algorithm, parameters)
        let h = try SGDHyperparameters.read(&r, defaults: shared, terms: Self.terms)
        (factors, epochs, lr, reg, initMean, initStd) = (h.factors, h.epochs, h.lr, h.reg, h.initMean, h.initStd)
        (lrBu, lrBi, lrPu, lrQi) = (h.termLR["bu"]!, h.termLR["bi"]!, h.termLR["pu"]!, h.termLR["qi"]!)
        (regBu, regBi, regPu, regQi) = (h.termReg["bu"]!, h.termReg["bi"]!, h.termReg["pu"]!, h.termReg["qi"]!)
        biased = try r.bool("biased", default: biased)
        seed = try r.seed()
        try r.finish()
    }

    /// The shared SGD hyperparameters as they stand.
    private var shared: SGDHyperparameters {
        SGDHyperparameters(
            factors: factors, epochs: epochs, lr: lr, reg: reg, initMean: initMean, initStd: initStd,
            termLR: ["bu": lrBu, "bi": lrBi, "pu": lrPu, "qi": lrQi], termReg: ["bu": regBu, "bi": regBi, "pu": regPu, "qi": regQi])
    }

    var parameters: [String: String] {
        shared.parameters.merging(["biased": String(biased), "seed": String(seed)]) { a, _ in a }
    }

    /// The four learning rates and four regularizations in effect.
    var rates: SGDRates {
        SGDHyperparameters.rates(lr: lr, reg: reg, lrs: [lrBu, lrBi, lrPu, lrQi], regs: [regBu, regBi, regPu, regQi])
    }
}

/// Biased matrix factorization trained by SGD, Surprise's `SVD`:
///
///     r̂ᵤᵢ = μ + b_u + b_i + q_iᵀp_u
///     for each epoch, for each rating in user-major file order (no shuffling):
///         e = r − r̂;  b_u += γ(e − λb_u);  b_i += γ(e − λb_i)
///         p_u += γ(e·q_i − λp_u);  q_i += γ(e·p_u − λq_i)   (old values on the right)
///
/// p and q start from N(init_mean, init_std²) (users drawn first, then items).
/// For an unknown user or item the terms that need it are dropped (Surprise's
/// `estimate`); unbiased with an unknown side is impossible (nil).
public struct SVDRecommender: Recommender {
    /// `.svd`.
    public static let algorithm = Algorithm.svd
    /// See `SVDConfiguration`.
    public static let parameterNames = SVDConfiguration.names

    /// The hyperparameters.
    public var configuration = SVDConfiguration()
    /// The fitted ratings.
    public internal(set) var trainingData = RatingMatrix.empty(userCount: 0, itemCount: 0)
    /// μ (0 when unbiased).
    public internal(set) var globalMean: Float = 0
    /// b_u.
    public internal(set) var userBias: [Float] = []
    /// b_i.
    public internal(set) var itemBias: [Float] = []
    /// p, row-major users × factors.
    public internal(set) var userFactors: [Float] = []
    /// q, row-major items × factors.
    public internal(set) var itemFactors: [Float] = []
    /// Test hook: factors to start from instead of the random draw.
    var initialFactors: (user: [Float], item: [Float])? = nil

    /// A model with `parameters` over Surprise's defaults.
    public init(parameters: [String: String] = [:]) throws {
        configuration = try SVDConfiguration(.svd, parameters)
    }

    /// Every hyperparameter.
    public var parameters: [String: String] { configuration.parameters }

    /// Trains by SGD; the observer hears after every epoch.
    public mutating func fit(_ data: RatingMatrix, observer: TrainingObserver?) throws {
        guard data.ratingCount > 0 else { throw RecommendError.emptyTrainingSet }
        let c = configuration
        let k = c.factors
        trainingData = data
        globalMean = c.biased ? data.globalMean : 0
        var rng = FinchRNG(seed: c.seed)
        if let initial = initialFactors {
            precondition(initial.user.count == data.userCount * k && initial.item.count == data.itemCount * k)
            userFactors = initial.user
            itemFactors = initial.item
        } else {
            userFactors = FactorSupport.normal(rows: data.userCount, width: k, mean: c.initMean, std: c.initStd, rng: &rng)
            itemFactors = FactorSupport.normal(rows: data.itemCount, width: k, mean: c.initMean, std: c.initStd, rng: &rng)
        }
        userBias = [Float](repeating: 0, count: data.userCount)
        itemBias = [Float](repeating: 0, count: data.itemCount)
        let rates = c.rates
        let mu = globalMean
        let biased = c.biased
        try runEpochs(c.epochs, observer: observer, likelyCause: DivergenceCause.sgd(lr: c.lr)) { model in
            model.userFactors.withUnsafeMutableBufferPointer { P in
                model.itemFactors.withUnsafeMutableBufferPointer { Q in
                    model.userBias.withUnsafeMutableBufferPointer { BU in
                        model.itemBias.withUnsafeMutableBufferPointer { BI in
                            data.byUser.withBuffers { ur in
                                Self.epoch(
                                    ur, userCount: data.userCount, k: k, mu: mu, biased: biased, rates: rates,
                                    P: P.baseAddress!, Q: Q.baseAddress!, BU: BU, BI: BI)
                            }
                        }
                    }
                }
            }
        }
    }

    /// One SGD pass over all ratings in user-major order.
    @inline(__always)
    static func epoch(
        _ ur: SparseRowBuffers, userCount: Int, k: Int, mu: Float, biased: Bool, rates: SGDRates,
        P: UnsafeMutablePointer<Float>, Q: UnsafeMutablePointer<Float>,
        BU: UnsafeMutableBufferPointer<Float>, BI: UnsafeMutableBufferPointer<Float>
    ) {
        for u in 0..<userCount {
            let start = ur.offsets[u], end = ur.offsets[u + 1]
            if start == end { continue }
            let p = P + u * k
            var bu = BU[u]
            for n in start..<end {
                let i = Int(ur.indices[n])
                let q = Q + i * k
                let err = ur.values[n] - (mu + bu + BI[i] + Kernels.dot(p, q, k))
                if biased {
                    bu += rates.lrBu * (err - rates.regBu * bu)
                    BI[i] += rates.lrBi * (err - rates.regBi * BI[i])
                }
                Kernels.sgdPair(p, q, k, err: err, lrP: rates.lrPu, regP: rates.regPu, lrQ: rates.lrQi, regQ: rates.regQi)
            }
            BU[u] = bu
        }
    }

    /// Surprise's `SVD.estimate`.
    public func estimate(user: Int, item: Int) -> Float? {
        let ku = trainingData.knowsUser(user), ki = trainingData.knowsItem(item)
        let k = configuration.factors
        let dot: Float? =
            (ku && ki)
            ? userFactors.withUnsafeBufferPointer { p in
                itemFactors.withUnsafeBufferPointer { q in Kernels.dot(p.baseAddress! + user * k, q.baseAddress! + item * k, k) }
            } : nil
        guard configuration.biased else { return dot }
        var e = globalMean
        if ku { e += userBias[user] }
        if ki { e += itemBias[item] }
        return e + (dot ?? 0)
    }

    /// μ + b_u + b_i + q_iᵀp_u for every item (one sgemv).
    public func scoreItems(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let k = configuration.factors
        userFactors.withUnsafeBufferPointer { p in
            FactorSupport.scores(itemFactors: itemFactors, width: k, vector: p.baseAddress! + user * k, into: scores)
        }
        guard configuration.biased else { return }
        let base = globalMean + userBias[user]
        itemBias.withUnsafeBufferPointer { bi in
            for i in 0..<scores.count { scores[i] += base + bi[i] }
        }
    }

    /// Fold-in by SGD on one side: each listed user's b_u and p_u restart from
    /// the initialization and take `epochs` passes over their ratings with item
    /// parameters fixed (ratings of items the model did not know are skipped);
    /// then each listed item likewise against all users. This is the update a
    /// full retrain would give that row if the other side did not move.
    public mutating func foldIn(_ data: RatingMatrix, users: [Int], items: [Int]) throws {
        let old = trainingData
        let c = configuration
        let settings = FoldInSGD.Settings(
            k: c.factors, mu: globalMean, biased: c.biased, epochs: c.epochs, seed: c.seed, initMean: c.initMean, initStd: c.initStd)
        settings.grow(&userFactors, &userBias, rows: data.userCount, side: 1)
        settings.grow(&itemFactors, &itemBias, rows: data.itemCount, side: 2)
        trainingData = data
        let rates = c.rates
        FoldInSGD.solveRows(
            data.byUser, users, side: 3, own: &userFactors, ownBias: &userBias, other: itemFactors, otherBias: itemBias,
            otherKnown: old.knowsItem, lr: (rates.lrBu, rates.lrPu), reg: (rates.regBu, rates.regPu), settings: settings)
        let userSet = Set(users)
        FoldInSGD.solveRows(
            data.byItem, items, side: 4, own: &itemFactors, ownBias: &itemBias, other: userFactors, otherBias: userBias,
            otherKnown: { old.knowsUser($0) || userSet.contains($0) }, lr: (rates.lrBi, rates.lrQi),
            reg: (rates.regBi, rates.regQi), settings: settings)
    }

    /// `global_mean`, `user_bias`, `item_bias`, `user_factors`, `item_factors`.
    public func exportArrays() -> [String: [Float]] {
        [
            "global_mean": [globalMean], "user_bias": userBias, "item_bias": itemBias,
            "user_factors": userFactors, "item_factors": itemFactors,
        ]
    }

    /// Restores the learnt arrays.
    public mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws {
        let k = configuration.factors
        self.trainingData = trainingData
        globalMean = try arrays.floats("global_mean", count: 1)[0]
        userBias = try arrays.floats("user_bias", count: trainingData.userCount)
        itemBias = try arrays.floats("item_bias", count: trainingData.itemCount)
        userFactors = try arrays.floats("user_factors", count: trainingData.userCount * k)
        itemFactors = try arrays.floats("item_factors", count: trainingData.itemCount * k)
    }
}
