/// Hyperparameters of `itemknn`; defaults are Surprise's
/// `KNNBaseline(sim_options={"name": "pearson_baseline", "user_based": False})`.
public struct ItemKNNConfiguration: Sendable, Equatable {
    /// How `scoreItems` ranks items.
    public enum Ranking: String, Sendable, CaseIterable {
        /// By the KNNBaseline rating estimate (explicit ratings).
        case estimate
        /// By Σ sim(i, j)·r_uj over the k most similar rated items with sim > 0
        /// (implicit feedback, where every r is 1 and estimates are flat).
        case similaritySum = "similarity_sum"
    }
    /// Neighbours used per prediction (40).
    public var k = 40
    /// Fewer positive-similarity neighbours than this → baseline only (1).
    public var minK = 1
    /// The similarity measure (pearson_baseline).
    public var similarity = ItemSimilarity.pearsonBaseline
    /// Shrinkage; nil means 100 for pearson_baseline and 0 otherwise.
    public var shrinkage: Float? = nil
    /// Minimum common users for a non-zero similarity (1; pearson_baseline uses at least 2).
    public var minSupport = 1
    /// The baselines (ALS, reg_u 15, reg_i 10, 10 epochs).
    public var baseline = BaselineOptions()
    /// How items are ranked for top-k.
    public var ranking = Ranking.estimate

    /// Surprise's defaults.
    public init() {}

    /// The shrinkage in effect.
    public var effectiveShrinkage: Float { shrinkage ?? (similarity == .pearsonBaseline ? 100 : 0) }

    static let names = ["k", "min_k", "similarity", "shrinkage", "min_support", "ranking"] + BaselineOptions.names(prefix: "baseline_")

    init(_ parameters: [String: String]) throws {
        var r = try HyperparameterReader(.itemknn, parameters)
        k = try r.int("k", default: k, minimum: 1)
        minK = try r.int("min_k", default: minK)
        similarity = try r.choice("similarity", default: similarity)
        shrinkage = try r.optionalFloat("shrinkage")
        minSupport = try r.int("min_support", default: minSupport)
        ranking = try r.choice("ranking", default: ranking)
        try baseline.read(&r, prefix: "baseline_")
        try r.finish()
    }

    var parameters: [String: String] {
        var p = [
            "k": String(k), "min_k": String(minK), "similarity": similarity.rawValue,
            "shrinkage": parameterText(effectiveShrinkage), "min_support": String(minSupport), "ranking": ranking.rawValue,
        ]
        baseline.write(into: &p, prefix: "baseline_")
        return p
    }
}

/// Item-based KNN with baseline correction, Surprise's `KNNBaseline` with
/// `user_based=False`:
///
///     r̂ᵤᵢ = b_ui + Σ_{j∈N^k_i(u)} sim(i,j)·(r_uj − b_uj) / Σ_{j∈N^k_i(u)} sim(i,j)
///
/// b_ui = μ + b_u + b_i (baselines by ALS); N^k_i(u) = the k items u rated
/// that are most similar to i, of which only those with sim > 0 count; fewer
/// than `min_k` of them → b_ui. Unknown user or item → the known part of b_ui.
/// The similarity matrix is dense (items²), so the catalogue is limited to
/// `denseItemLimit` items.
public struct ItemKNNRecommender: Recommender {
    /// `.itemknn`.
    public static let algorithm = Algorithm.itemknn
    /// See `ItemKNNConfiguration`.
    public static let parameterNames = ItemKNNConfiguration.names
    /// Largest catalogue for the dense similarity matrix (30,000 items = 3.6 GB).
    public static let denseItemLimit = 30_000

    /// The hyperparameters.
    public var configuration = ItemKNNConfiguration()
    /// The fitted ratings.
    public internal(set) var trainingData = RatingMatrix.empty(userCount: 0, itemCount: 0)
    /// μ.
    public internal(set) var globalMean: Float = 0
    /// b_u.
    public internal(set) var userBias: [Float] = []
    /// b_i.
    public internal(set) var itemBias: [Float] = []
    /// sim, items × items row-major, symmetric, 1 on the diagonal.
    public internal(set) var similarities: [Float] = []

    /// A model with `parameters` over Surprise's defaults.
    public init(parameters: [String: String] = [:]) throws {
        configuration = try ItemKNNConfiguration(parameters)
    }

    /// Every hyperparameter.
    public var parameters: [String: String] { configuration.parameters }

    /// Computes baselines and the similarity matrix.
    public mutating func fit(_ data: RatingMatrix, observer: TrainingObserver?) throws {
        guard data.ratingCount > 0 else { throw RecommendError.emptyTrainingSet }
        guard data.itemCount <= Self.denseItemLimit else {
            throw RecommendError.tooManyItems(algorithm: "itemknn", itemCount: data.itemCount, limit: Self.denseItemLimit)
        }
        let clock = ContinuousClock.now
        trainingData = data
        globalMean = data.globalMean
        (userBias, itemBias) = Baselines.fit(data, options: configuration.baseline)
        try checkFinite(epoch: configuration.baseline.effectiveEpochs, likelyCause: DivergenceCause.extremeValues)
        if observer?(TrainingProgress(stage: "baselines", step: 1, stepCount: 2, elapsedSeconds: clock.secondsSince)) == .stop {
            return
        }
        let n = data.itemCount
        var sims = [Float](repeating: 0, count: n * n)
        sims.withUnsafeMutableBufferPointer { builder.computeRows(data, rows: nil, into: $0.baseAddress!) }
        similarities = sims
        try checkFinite(epoch: configuration.baseline.effectiveEpochs, likelyCause: DivergenceCause.extremeValues)
        _ = observer?(TrainingProgress(stage: "similarities", step: 2, stepCount: 2, elapsedSeconds: clock.secondsSince))
    }

    private var builder: SimilarityBuilder {
        SimilarityBuilder(
            kind: configuration.similarity, shrinkage: configuration.effectiveShrinkage, minSupport: configuration.minSupport,
            globalMean: globalMean, userBias: userBias, itemBias: itemBias)
    }

    /// Runs `body` with unsafe views of the fitted state (one set of closures
    /// per call, not per neighbour).
    private func withContext<R>(_ body: (NeighbourContext) -> R) -> R {
        trainingData.byUser.withBuffers { ur in
            similarities.withUnsafeBufferPointer { S in
                userBias.withUnsafeBufferPointer { BU in
                    itemBias.withUnsafeBufferPointer { BI in
                        body(
                            NeighbourContext(
                                rows: ur, similarities: S, userBias: BU, itemBias: BI, itemCount: trainingData.itemCount,
                                k: configuration.k, minK: configuration.minK, globalMean: globalMean))
                    }
                }
            }
        }
    }

    /// KNNBaseline's estimate.
    public func estimate(user: Int, item: Int) -> Float? {
        let ku = trainingData.knowsUser(user), ki = trainingData.knowsItem(item)
        var e = globalMean
        if ku { e += userBias[user] }
        if ki { e += itemBias[item] }
        guard ku && ki else { return e }
        let rowCount = trainingData.byUser.count(ofRow: user)
        return e
            + withContext { context in
                withUnsafeTemporaryAllocation(of: Neighbour.self, capacity: rowCount) {
                    context.deviation(user: user, item: item, scratch: $0.baseAddress!)
                }
            }
    }

    /// Estimates (or similarity sums, see `ranking`) for every item.
    public func scoreItems(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let rowCount = trainingData.byUser.count(ofRow: user)
        let ranking = configuration.ranking
        let data = trainingData
        withContext { context in
            withUnsafeTemporaryAllocation(of: Neighbour.self, capacity: Swift.max(rowCount, 1)) { buffer in
                let scratch = buffer.baseAddress!
                let base = globalMean + (data.knowsUser(user) ? context.userBias[user] : 0)
                for i in 0..<scores.count {
                    switch ranking {
                    case .estimate:
                        let known = data.knowsItem(i)
                        scores[i] = base + (known ? context.itemBias[i] + context.deviation(user: user, item: i, scratch: scratch) : 0)
                    case .similaritySum:
                        let count = context.neighbours(user: user, item: i, scratch: scratch)
                        var s: Float = 0
                        for t in 0..<count { s += scratch[t].similarity * context.rows.values[Int(scratch[t].position)] }
                        scores[i] = s
                    }
                }
            }
        }
    }

    /// Row `item` of the similarity matrix.
    public func itemSimilarities(toItem item: Int, into out: UnsafeMutableBufferPointer<Float>) {
        let n = trainingData.itemCount
        for j in 0..<n { out[j] = similarities[item * n + j] }
    }

    /// The neighbours that make up the estimate, with their share
    /// sim·(r − b_uj)/Σsim (or sim·r for `similarity_sum`), largest first.
    public func contributions(user: Int, item: Int) -> [Contribution] {
        guard trainingData.knowsUser(user), item >= 0, item < trainingData.itemCount else { return [] }
        let rowCount = trainingData.byUser.count(ofRow: user)
        let byEstimate = configuration.ranking == .estimate
        var out: [Contribution] = []
        withContext { context in
            withUnsafeTemporaryAllocation(of: Neighbour.self, capacity: rowCount) { buffer in
                let count = context.neighbours(user: user, item: item, scratch: buffer.baseAddress!)
                var sumSim: Float = 0
                for t in 0..<count { sumSim += buffer[t].similarity }
                let base = globalMean + context.userBias[user]
                for t in 0..<count {
                    let p = Int(buffer[t].position)
                    let j = Int(context.rows.indices[p])
                    let r = context.rows.values[p]
                    let s = buffer[t].similarity
                    out.append(Contribution(item: j, weight: byEstimate ? s * (r - (base + context.itemBias[j])) / sumSim : s * r))
                }
            }
        }
        out.sort { $0.weight > $1.weight || ($0.weight == $1.weight && $0.item < $1.item) }
        return out
    }

    /// Users: b_u by the ALS closed form with b_i fixed. Items: b_i likewise,
    /// then their similarity rows (and columns) are recomputed.
    public mutating func foldIn(_ data: RatingMatrix, users: [Int], items: [Int]) throws {
        guard data.itemCount <= Self.denseItemLimit else {
            throw RecommendError.tooManyItems(algorithm: "itemknn", itemCount: data.itemCount, limit: Self.denseItemLimit)
        }
        let oldN = trainingData.itemCount, n = data.itemCount
        userBias.resize(to: data.userCount)
        itemBias.resize(to: data.itemCount)
        if n != oldN {
            var grown = [Float](repeating: 0, count: n * n)
            for r in 0..<oldN {
                for c in 0..<oldN { grown[r * n + c] = similarities[r * oldN + c] }
            }
            for d in oldN..<n { grown[d * n + d] = 1 }
            similarities = grown
        }
        trainingData = data
        let options = configuration.baseline
        for u in users {
            userBias[u] = Baselines.solveRow(
                data.byUser, row: u, otherBias: itemBias, otherKnown: data.knowsItem, mean: globalMean, options: options,
                isUser: true)
        }
        for i in items {
            itemBias[i] = Baselines.solveRow(
                data.byItem, row: i, otherBias: userBias, otherKnown: data.knowsUser, mean: globalMean, options: options,
                isUser: false)
        }
        guard !items.isEmpty else { return }
        let b = builder
        similarities.withUnsafeMutableBufferPointer { S in
            b.computeRows(data, rows: items, into: S.baseAddress!)
            for i in items {
                for j in 0..<n { S[j * n + i] = S[i * n + j] }
            }
        }
    }

    /// `global_mean`, `user_bias`, `item_bias`, `similarities`.
    public func exportArrays() -> [String: [Float]] {
        [
            "global_mean": [globalMean], "user_bias": userBias, "item_bias": itemBias,
            "similarities": similarities,
        ]
    }

    /// Restores the learnt arrays.
    public mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws {
        self.trainingData = trainingData
        globalMean = try arrays.floats("global_mean", count: 1)[0]
        userBias = try arrays.floats("user_bias", count: trainingData.userCount)
        itemBias = try arrays.floats("item_bias", count: trainingData.itemCount)
        similarities = try arrays.floats("similarities", count: trainingData.itemCount * trainingData.itemCount)
    }
}

/// Unsafe views of an item-KNN model for the prediction loops.
struct NeighbourContext {
    let rows: SparseRowBuffers
    let similarities: UnsafeBufferPointer<Float>
    let userBias: UnsafeBufferPointer<Float>
    let itemBias: UnsafeBufferPointer<Float>
    let itemCount: Int
    let k: Int
    let minK: Int
    let globalMean: Float

    /// The selected neighbours of `item` among `user`'s rated items (their
    /// positions in the user's row and similarities): only similarities > 0,
    /// the k largest. Returns how many are in `scratch`.
    @inline(__always)
    func neighbours(user: Int, item: Int, scratch: UnsafeMutablePointer<Neighbour>) -> Int {
        let row = similarities.baseAddress! + item * itemCount
        var count = 0
        for p in rows.offsets[user]..<rows.offsets[user + 1] {
            let s = row[Int(rows.indices[p])]
            if s > 0 {
                scratch[count] = Neighbour(position: Int32(p), similarity: s)
                count += 1
            }
        }
        return NeighbourSelection.keepLargest(scratch, count: count, k: k)
    }

    /// Σ sim·(r − b_uj)/Σ sim over the neighbours; 0 below min_k.
    @inline(__always)
    func deviation(user: Int, item: Int, scratch: UnsafeMutablePointer<Neighbour>) -> Float {
        let count = neighbours(user: user, item: item, scratch: scratch)
        if count < minK || count == 0 { return 0 }
        var sumSim: Float = 0, sumDev: Float = 0
        let base = globalMean + userBias[user]
        for t in 0..<count {
            let p = Int(scratch[t].position)
            let s = scratch[t].similarity
            sumSim += s
            sumDev += s * (rows.values[p] - (base + itemBias[Int(rows.indices[p])]))
        }
        return sumSim > 0 ? sumDev / sumSim : 0
    }
}

/// A candidate neighbour: its position in the user's row and its similarity.
struct Neighbour {
    var position: Int32
    var similarity: Float
}

/// Selection of the k most similar neighbours in place.
enum NeighbourSelection {
    /// "a ranks below b": smaller similarity, or equal and later in the row.
    @inline(__always)
    static func below(_ a: Neighbour, _ b: Neighbour) -> Bool {
        a.similarity < b.similarity || (a.similarity == b.similarity && a.position > b.position)
    }

    /// Restores the min-heap property of `heap[0..<size]` below `start`.
    @inline(__always)
    static func siftDown(_ heap: UnsafeMutablePointer<Neighbour>, _ start: Int, _ size: Int) {
        var i = start
        let item = heap[i]
        while true {
            let l = 2 * i + 1
            if l >= size { break }
            var m = l
            if l + 1 < size, below(heap[l + 1], heap[l]) { m = l + 1 }
            if !below(heap[m], item) { break }
            heap[i] = heap[m]
            i = m
        }
        heap[i] = item
    }

    /// Rearranges `buffer[0..<count]` so that its first min(k, count) entries
    /// are the k largest by similarity (ties: earlier position first, like
    /// Python's stable `heapq.nlargest`); returns how many were kept.
    static func keepLargest(_ buffer: UnsafeMutablePointer<Neighbour>, count: Int, k: Int) -> Int {
        if count <= k { return count }
        for i in stride(from: k / 2 - 1, through: 0, by: -1) { siftDown(buffer, i, k) }
        for n in k..<count where below(buffer[0], buffer[n]) {
            buffer[0] = buffer[n]
            siftDown(buffer, 0, k)
        }
        return k
    }
}
