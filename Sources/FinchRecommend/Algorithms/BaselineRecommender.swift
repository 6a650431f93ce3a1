/// r̂ᵤᵢ = μ + b_u + b_i with biases fitted as Surprise's `BaselineOnly`
/// (ALS by default: 10 epochs, reg_u 15, reg_i 10). An unknown user or item
/// contributes no bias. Recommends the items with the largest b_i.
public struct BaselineRecommender: Recommender {
    /// `.baseline`.
    public static let algorithm = Algorithm.baseline
    /// `method, epochs, reg_user, reg_item, reg, lr`.
    public static let parameterNames = BaselineOptions.names()

    /// The bias options.
    public var options = BaselineOptions()
    /// The fitted ratings.
    public internal(set) var trainingData = RatingMatrix.empty(userCount: 0, itemCount: 0)
    /// μ, the training mean.
    public internal(set) var globalMean: Float = 0
    /// b_u per user.
    public internal(set) var userBias: [Float] = []
    /// b_i per item.
    public internal(set) var itemBias: [Float] = []

    /// A model with `parameters` over Surprise's defaults.
    public init(parameters: [String: String] = [:]) throws {
        var reader = try HyperparameterReader(.baseline, parameters)
        try options.read(&reader)
        try reader.finish()
    }

    /// Every hyperparameter.
    public var parameters: [String: String] {
        var p: [String: String] = [:]
        options.write(into: &p)
        return p
    }

    /// Fits the biases.
    public mutating func fit(_ data: RatingMatrix, observer: TrainingObserver?) throws {
        guard data.ratingCount > 0 else { throw RecommendError.emptyTrainingSet }
        let clock = ContinuousClock.now
        trainingData = data
        globalMean = data.globalMean
        (userBias, itemBias) = Baselines.fit(data, options: options)
        let cause = options.method == .sgd ? DivergenceCause.sgd(lr: options.lr) : DivergenceCause.extremeValues
        try checkFinite(epoch: options.effectiveEpochs, likelyCause: cause)
        _ = observer?(TrainingProgress(stage: "epoch", step: 1, stepCount: 1, elapsedSeconds: clock.secondsSince))
    }

    /// μ plus the known biases.
    public func estimate(user: Int, item: Int) -> Float? {
        var e = globalMean
        if trainingData.knowsUser(user) { e += userBias[user] }
        if trainingData.knowsItem(item) { e += itemBias[item] }
        return e
    }

    /// μ + b_u + b_i for every item.
    public func scoreItems(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let base = globalMean + (trainingData.knowsUser(user) ? userBias[user] : 0)
        itemBias.withUnsafeBufferPointer { bi in
            for i in 0..<scores.count { scores[i] = base + bi[i] }
        }
    }

    /// Co-occurrence cosine ("users who rated this also rated").
    public func itemSimilarities(toItem item: Int, into similarities: UnsafeMutableBufferPointer<Float>) {
        Cooccurrence.similarities(trainingData, item: item, into: similarities)
    }

    /// None: a baseline has no personal reasons.
    public func contributions(user: Int, item: Int) -> [Contribution] { [] }

    /// Re-solves the biases of `users` (against fixed item biases) then `items`.
    public mutating func foldIn(_ data: RatingMatrix, users: [Int], items: [Int]) throws {
        userBias.resize(to: data.userCount)
        itemBias.resize(to: data.itemCount)
        trainingData = data
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
    }

    /// `global_mean`, `user_bias`, `item_bias`.
    public func exportArrays() -> [String: [Float]] {
        ["global_mean": [globalMean], "user_bias": userBias, "item_bias": itemBias]
    }

    /// Restores the biases.
    public mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws {
        self.trainingData = trainingData
        globalMean = try arrays.floats("global_mean", count: 1)[0]
        userBias = try arrays.floats("user_bias", count: trainingData.userCount)
        itemBias = try arrays.floats("item_bias", count: trainingData.itemCount)
    }
}
