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
    public func exportArrays() -> [String: [Float]] {
        ["item_count": itemCounts, "item_mean": itemMeans]
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
