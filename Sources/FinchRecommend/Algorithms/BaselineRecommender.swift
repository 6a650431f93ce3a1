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
    public func exportArrays() -> [String: ArchivedArray] {
        ["global_mean": .float([globalMean]), "user_bias": .float(userBias), "item_bias": .float(itemBias)]
    }

    /// Restores the biases.
    public mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws {
        self.trainingData = trainingData
        globalMean = try arrays.floats("global_mean", count: 1)[0]
        userBias = try arrays.floats("user_bias", count: trainingData.userCount)
        itemBias = try arrays.floats("item_bias", count: trainingData.itemCount)
    }
}

/// Ranks items by how many ratings they have; predicts an item's mean rating
/// (the global mean for an unknown item). The non-personalized reference
/// every personalized model must beat.
public struct PopularRecommender: Recommender {
    /// `.popular`.
    public static let algorithm = Algorithm.popular
    /// None.
    public static let parameterNames: [String] = []

    /// The fitted ratings.
    public internal(set) var trainingData = RatingMatrix.empty(userCount: 0, itemCount: 0)
    /// Ratings per item.
    public internal(set) var itemCounts: [Float] = []
    /// Mean rating per item (0 for items without ratings).
    public internal(set) var itemMeans: [Float] = []

    /// A model; `popular` has no hyperparameters.
    public init(parameters: [String: String] = [:]) throws {
        try HyperparameterReader(.popular, parameters).finish()
    }

    /// Empty.
    public var parameters: [String: String] { [:] }

    /// Counts ratings per item.
    public mutating func fit(_ data: RatingMatrix, observer: TrainingObserver?) throws {
        guard data.ratingCount > 0 else { throw RecommendError.emptyTrainingSet }
        let clock = ContinuousClock.now
        recount(data)
        _ = observer?(TrainingProgress(stage: "epoch", step: 1, stepCount: 1, elapsedSeconds: clock.secondsSince))
    }

    private mutating func recount(_ data: RatingMatrix) {
        trainingData = data
        itemCounts = (0..<data.itemCount).map { Float(data.byItem.count(ofRow: $0)) }
        itemMeans = (0..<data.itemCount).map { i in
            let range = data.byItem.range(ofRow: i)
            if range.isEmpty { return 0 }
            var s = 0.0
            for n in range { s += Double(data.byItem.values[n]) }
            return Float(s / Double(range.count))
        }
    }

    /// The item's mean rating, nil for an unknown item.
    public func estimate(user: Int, item: Int) -> Float? {
        trainingData.knowsItem(item) ? itemMeans[item] : nil
    }

    /// The number of ratings of every item.
    public func scoreItems(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<scores.count { scores[i] = itemCounts[i] }
    }

    /// Co-occurrence cosine.
    public func itemSimilarities(toItem item: Int, into similarities: UnsafeMutableBufferPointer<Float>) {
        Cooccurrence.similarities(trainingData, item: item, into: similarities)
    }

    /// None: popularity has no personal reasons.
    public func contributions(user: Int, item: Int) -> [Contribution] { [] }

    /// Recounts with the new ratings.
    public mutating func foldIn(_ data: RatingMatrix, users: [Int], items: [Int]) throws {
        recount(data)
    }

    /// `item_count`, `item_mean`.
    public func exportArrays() -> [String: ArchivedArray] {
        ["item_count": .float(itemCounts), "item_mean": .float(itemMeans)]
    }

    /// Restores the counts.
    public mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws {
        self.trainingData = trainingData
        itemCounts = try arrays.floats("item_count", count: trainingData.itemCount)
        itemMeans = try arrays.floats("item_mean", count: trainingData.itemCount)
    }
}

/// Cosine similarity of items over binary co-occurrence: |U_i ∩ U_j| / √(|U_i|·|U_j|).
enum Cooccurrence {
    static func similarities(_ data: RatingMatrix, item: Int, into out: UnsafeMutableBufferPointer<Float>) {
        for j in 0..<out.count { out[j] = 0 }
        guard data.knowsItem(item) else { return }
        data.byItem.withBuffers { ir in
            data.byUser.withBuffers { ur in
                for n in ir.offsets[item]..<ir.offsets[item + 1] {
                    let u = Int(ir.indices[n])
                    for m in ur.offsets[u]..<ur.offsets[u + 1] { out[Int(ur.indices[m])] += 1 }
                }
                let ni = Float(ir.offsets[item + 1] - ir.offsets[item])
                for j in 0..<out.count where out[j] > 0 {
                    out[j] /= (ni * Float(ir.offsets[j + 1] - ir.offsets[j])).squareRoot()
                }
            }
        }
    }
}

extension Array where Element == Float {
    /// Grows (with zeros) or shrinks to `count` elements.
    mutating func resize(to count: Int) {
        if count > self.count {
            append(contentsOf: repeatElement(0, count: count - self.count))
        } else if count < self.count {
            removeLast(self.count - count)
        }
    }
}

extension ContinuousClock.Instant {
    /// Seconds from this instant to now.
    var secondsSince: Double {
        let d = ContinuousClock.now - self
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
