import FinchTensor

/// Hyperparameters of `bpr`, with the `implicit` library's defaults.
public struct BPRConfiguration: Sendable, Equatable {
    /// Latent factors (100).
    public var factors = 100
    /// SGD learning rate (0.01).
    public var lr: Float = 0.01
    /// L2 regularization (0.01).
    public var reg: Float = 0.01
    /// Epochs; each draws as many triples as there are positive entries (100).
    public var epochs = 100
    /// Redraw a negative item the user has interacted with (true).
    public var verifyNegatives = true
    /// Seed of the initialization and the sampling.
    public var seed: UInt64 = 0

    /// The `implicit` library's defaults.
    public init() {}

    static let names = ["factors", "lr", "reg", "epochs", "verify_negatives", "seed"]

    init(_ parameters: [String: String]) throws {
        var r = try HyperparameterReader(.bpr, parameters)
        factors = try r.int("factors", default: factors, minimum: 1)
        lr = try r.float("lr", default: lr)
        reg = try r.float("reg", default: reg)
        epochs = try r.int("epochs", default: epochs)
        verifyNegatives = try r.bool("verify_negatives", default: verifyNegatives)
        seed = try r.seed()
        try r.finish()
    }

    var parameters: [String: String] {
        [
            "factors": String(factors), "lr": parameterText(lr), "reg": parameterText(reg), "epochs": String(epochs),
            "verify_negatives": String(verifyNegatives), "seed": String(seed),
        ]
    }
}

/// Bayesian personalized ranking (Rendle et al. 2009) with an item bias, as
/// the `implicit` library trains it: score x̂ᵤᵢ = p_uᵀq_i + b_i; for a sampled
/// triple (u, i liked, j not), z = σ(−(x̂ᵤᵢ − x̂ᵤⱼ)) and
/// p_u += γ(z(q_i − q_j) − λp_u), q_i += γ(z·p_u − λq_i),
/// q_j += γ(−z·p_u − λq_j), b_i += γ(z − λb_i), b_j += γ(−z − λb_j).
/// Entries with a value ≤ 0 are not positives. Factors start at
/// (U[0,1) − ½)/factors. Sampling is single-threaded, so a seed reproduces.
public struct BPRRecommender: Recommender {
    /// `.bpr`.
    public static let algorithm = Algorithm.bpr
    /// See `BPRConfiguration`.
    public static let parameterNames = BPRConfiguration.names

    /// The hyperparameters.
    public var configuration = BPRConfiguration()
    /// The fitted interactions.
    public internal(set) var trainingData = RatingMatrix.empty(userCount: 0, itemCount: 0)
    /// p, users × factors.
    public internal(set) var userFactors: [Float] = []
    /// q, items × factors.
    public internal(set) var itemFactors: [Float] = []
    /// b_i.
    public internal(set) var itemBias: [Float] = []

    /// A model with `parameters` over the `implicit` defaults.
    public init(parameters: [String: String] = [:]) throws {
        configuration = try BPRConfiguration(parameters)
    }

    /// Every hyperparameter.
    public var parameters: [String: String] { configuration.parameters }

    /// Trains by SGD over sampled triples; the observer hears after every epoch.
    public mutating func fit(_ data: RatingMatrix, observer: TrainingObserver?) throws {
        guard data.ratingCount > 0 else { throw RecommendError.emptyTrainingSet }
        let c = configuration
        let k = c.factors
        trainingData = data
        var rng = FinchRNG(seed: c.seed)
        userFactors = (0..<(data.userCount * k)).map { _ in (rng.nextUniform() - 0.5) / Float(k) }
        itemFactors = (0..<(data.itemCount * k)).map { _ in (rng.nextUniform() - 0.5) / Float(k) }
        itemBias = [Float](repeating: 0, count: data.itemCount)
        let positives = Self.positiveEntries(data)
        let sorted = Self.sortedRows(data.byUser)
        try runEpochs(c.epochs, observer: observer, likelyCause: DivergenceCause.sgd(lr: c.lr)) { model in
            model.userFactors.withUnsafeMutableBufferPointer { P in
                model.itemFactors.withUnsafeMutableBufferPointer { Q in
                    model.itemBias.withUnsafeMutableBufferPointer { B in
                        positives.users.withUnsafeBufferPointer { PU in
                            positives.items.withUnsafeBufferPointer { PI in
                                sorted.withUnsafeBufferPointer { S in
                                    data.byUser.offsets.withUnsafeBufferPointer { O in
                                        for _ in 0..<PU.count {
                                            let n = Int(rng.next() % UInt64(PU.count))
                                            let u = Int(PU[n]), i = Int(PI[n])
                                            let j = Int(rng.next() % UInt64(data.itemCount))
                                            if c.verifyNegatives, Self.contains(S, from: O[u], to: O[u + 1], j) { continue }
                                            Self.step(
                                                p: P.baseAddress! + u * k, qi: Q.baseAddress! + i * k, qj: Q.baseAddress! + j * k,
                                                bi: &B[i], bj: &B[j], k: k, lr: c.lr, reg: c.reg, updateUser: true, updateItems: true)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Applies one BPR update per (user, liked, disliked) triple, in order: the
    /// step `fit` takes for every sample it draws (tests replay a reference's samples).
    mutating func update(triples: [(user: Int, liked: Int, disliked: Int)]) {
        let c = configuration
        let k = c.factors
        userFactors.withUnsafeMutableBufferPointer { P in
            itemFactors.withUnsafeMutableBufferPointer { Q in
                itemBias.withUnsafeMutableBufferPointer { B in
                    for t in triples {
                        Self.step(
                            p: P.baseAddress! + t.user * k, qi: Q.baseAddress! + t.liked * k, qj: Q.baseAddress! + t.disliked * k,
                            bi: &B[t.liked], bj: &B[t.disliked], k: k, lr: c.lr, reg: c.reg, updateUser: true, updateItems: true)
                    }
                }
            }
        }
    }

    /// Positions of the entries with a positive value, as (user, item) lists.
    static func positiveEntries(_ data: RatingMatrix) -> (users: [Int32], items: [Int32]) {
        var users: [Int32] = [], items: [Int32] = []
        for u in 0..<data.userCount {
            for n in data.byUser.range(ofRow: u) where data.byUser.values[n] > 0 {
                users.append(Int32(u))
                items.append(data.byUser.indices[n])
            }
        }
        return (users, items)
    }

    /// Each row's column indices sorted, for the negative check by binary search.
    static func sortedRows(_ rows: SparseRows) -> [Int32] {
        var out = rows.indices
        for r in 0..<rows.rowCount { out[rows.range(ofRow: r)].sort() }
        return out
    }

    @inline(__always)
    static func contains(_ sorted: UnsafeBufferPointer<Int32>, from: Int, to: Int, _ value: Int) -> Bool {
        var lo = from, hi = to
        let v = Int32(value)
        while lo < hi {
            let mid = (lo + hi) >> 1
            if sorted[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < to && sorted[lo] == v
    }

    /// One BPR update for (u, i, j); either side may be held fixed.
    @inline(__always)
    static func step(
        p: UnsafeMutablePointer<Float>, qi: UnsafeMutablePointer<Float>, qj: UnsafeMutablePointer<Float>,
        bi: inout Float, bj: inout Float, k: Int, lr: Float, reg: Float, updateUser: Bool, updateItems: Bool
    ) {
        let x = bi - bj + Kernels.dot(p, qi, k) - Kernels.dot(p, qj, k)
        let z = 1 / (1 + expf(x))
        if updateItems {
            bi += lr * (z - reg * bi)
            bj += lr * (-z - reg * bj)
        }
        for f in 0..<k {
            let pf = p[f], qif = qi[f], qjf = qj[f]
            if updateUser { p[f] = pf + lr * (z * (qif - qjf) - reg * pf) }
            if updateItems {
                qi[f] = qif + lr * (z * pf - reg * qif)
                qj[f] = qjf + lr * (-z * pf - reg * qjf)
            }
        }
    }

    /// p_uᵀq_i + b_i (a ranking score), nil for an unknown side.
    public func estimate(user: Int, item: Int) -> Float? {
        guard trainingData.knowsUser(user), trainingData.knowsItem(item) else { return nil }
        let k = configuration.factors
        return itemBias[item]
            + userFactors.withUnsafeBufferPointer { p in
                itemFactors.withUnsafeBufferPointer { q in Kernels.dot(p.baseAddress! + user * k, q.baseAddress! + item * k, k) }
            }
    }

    /// p_uᵀq_i + b_i for every item (one sgemv).
    public func scoreItems(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let k = configuration.factors
        userFactors.withUnsafeBufferPointer { p in
            FactorSupport.scores(itemFactors: itemFactors, width: k, vector: p.baseAddress! + user * k, into: scores)
        }
        itemBias.withUnsafeBufferPointer { b in
            for i in 0..<scores.count { scores[i] += b[i] }
        }
    }

    /// One-sided BPR: a listed user's p_u restarts and takes `epochs` passes of
    /// |I_u| sampled triples with items fixed; a listed item's q_i, b_i restart
    /// and take `epochs` passes of |U_i| triples (as the liked item) with users fixed.
    public mutating func foldIn(_ data: RatingMatrix, users: [Int], items: [Int]) throws {
        let c = configuration
        let k = c.factors
        let newUsers = Swift.max(0, data.userCount - trainingData.userCount)
        let newItems = Swift.max(0, data.itemCount - trainingData.itemCount)
        userFactors.append(contentsOf: repeatElement(0, count: newUsers * k))
        itemFactors.append(contentsOf: repeatElement(0, count: newItems * k))
        itemBias.resize(to: data.itemCount)
        trainingData = data
        let sorted = Self.sortedRows(data.byUser)
        for (side, list) in [(UInt64(6), users), (UInt64(7), items)] {
            let rows = side == 6 ? data.byUser : data.byItem
            for row in list {
                var rng = FactorSupport.rowRNG(seed: c.seed, side: side, row: row)
                for f in 0..<k {
                    let v = (rng.nextUniform() - 0.5) / Float(k)
                    if side == 6 { userFactors[row * k + f] = v } else { itemFactors[row * k + f] = v }
                }
                if side == 7 { itemBias[row] = 0 }
                let range = rows.range(ofRow: row)
                let positives = range.filter { rows.values[$0] > 0 }
                if positives.isEmpty { continue }
                userFactors.withUnsafeMutableBufferPointer { P in
                    itemFactors.withUnsafeMutableBufferPointer { Q in
                        itemBias.withUnsafeMutableBufferPointer { B in
                            sorted.withUnsafeBufferPointer { S in
                                for _ in 0..<(c.epochs * positives.count) {
                                    let n = positives[Int(rng.next() % UInt64(positives.count))]
                                    let other = Int(rows.indices[n])
                                    let (u, i) = side == 6 ? (row, other) : (other, row)
                                    let j = Int(rng.next() % UInt64(data.itemCount))
                                    if j == i { continue }
                                    let o = data.byUser.offsets
                                    if c.verifyNegatives, Self.contains(S, from: o[u], to: o[u + 1], j) { continue }
                                    if side == 6 {
                                        var bj = B[j]
                                        Self.step(
                                            p: P.baseAddress! + u * k, qi: Q.baseAddress! + i * k, qj: Q.baseAddress! + j * k,
                                            bi: &B[i], bj: &bj, k: k, lr: c.lr, reg: c.reg, updateUser: true, updateItems: false)
                                    } else {
                                        Self.positiveItemStep(
                                            p: P.baseAddress! + u * k, qi: Q.baseAddress! + i * k, qj: Q.baseAddress! + j * k,
                                            bi: &B[i], bj: B[j], k: k, lr: c.lr, reg: c.reg)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The BPR update of the liked item alone (user and negative item fixed).
    @inline(__always)
    static func positiveItemStep(
        p: UnsafePointer<Float>, qi: UnsafeMutablePointer<Float>, qj: UnsafePointer<Float>, bi: inout Float, bj: Float,
        k: Int, lr: Float, reg: Float
    ) {
        let x = bi - bj + Kernels.dot(p, qi, k) - Kernels.dot(p, qj, k)
        let z = 1 / (1 + expf(x))
        bi += lr * (z - reg * bi)
        for f in 0..<k { qi[f] += lr * (z * p[f] - reg * qi[f]) }
    }

    /// `user_factors`, `item_factors`, `item_bias`.
    public func exportArrays() -> [String: [Float]] {
        ["user_factors": userFactors, "item_factors": itemFactors, "item_bias": itemBias]
    }

    /// Restores the learnt arrays.
    public mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws {
        let k = configuration.factors
        self.trainingData = trainingData
        userFactors = try arrays.floats("user_factors", count: trainingData.userCount * k)
        itemFactors = try arrays.floats("item_factors", count: trainingData.itemCount * k)
        itemBias = try arrays.floats("item_bias", count: trainingData.itemCount)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
