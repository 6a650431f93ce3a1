/// How a latent-factor model represents one item: a bias and a factor vector.
public struct ItemRepresentation: Sendable, Equatable {
    /// The item bias (0 for models without one).
    public var bias: Float
    /// The factor vector (`factorCount` values).
    public var factors: [Float]

    /// Creates a representation.
    public init(bias: Float, factors: [Float]) {
        self.bias = bias
        self.factors = factors
    }
}

/// A recommender whose items are points in a latent space, so an item can be
/// placed there without ratings (cold start). `svd`, `svdpp`, `als`, `bpr`
/// and `baseline` (bias only, no factors) conform.
public protocol LatentItemRecommender: Recommender {
    /// Length of an item's factor vector.
    var factorCount: Int { get }
    /// The representation of a known item.
    func itemRepresentation(_ item: Int) -> ItemRepresentation
    /// Sets item `item`'s representation (the item exists in `trainingData`).
    mutating func setItemRepresentation(_ representation: ItemRepresentation, item: Int)
}

/// The cold-start hook: turns an item's content feature vector (genre flags,
/// a text embedding of its description from a sentence encoder, ...) into
/// the representation a factor model needs, so a new item is recommendable
/// before anyone rates it. Implement it to plug in any content model;
/// `RidgeColdStartMapping` is the built-in linear one.
public protocol ColdStartMapping: Sendable {
    /// Length of the feature vectors it accepts.
    var featureDimension: Int { get }
    /// The representation for an item with `features`.
    func itemRepresentation(for features: [Float]) -> ItemRepresentation
}

/// A linear map features → (bias, factors), fitted by ridge regression on
/// the items that have both ratings and features:
/// W = (XᵀX + λI)⁻¹XᵀT with X = [features, 1] and T = [bias, factors].
public struct RidgeColdStartMapping: ColdStartMapping {
    /// Feature length d.
    public let featureDimension: Int
    /// Output length (1 + factors).
    public let outputDimension: Int
    /// Weights, (d + 1) × outputDimension row-major (the last row is the intercept).
    public let weights: [Float]

    /// Fits the map on the model's rated items that appear in `features`.
    /// - Throws: `RecommendError.unsupported` for a model without item
    ///   representations, `.featureDimensionMismatch` for uneven vectors,
    ///   `.invalidSplit` when no rated item has features.
    public static func fit(
        model: RecommenderModel, features: [String: [Float]], regularization: Float = 1
    ) throws -> RidgeColdStartMapping {
        guard let latent = model.recommender as? any LatentItemRecommender else {
            throw RecommendError.unsupported(algorithm: model.algorithm.rawValue, operation: "cold start from content features")
        }
        guard let d = features.values.first?.count else { throw RecommendError.invalidSplit(reason: "no feature vectors") }
        let data = latent.trainingData
        let out = 1 + latent.factorCount
        let width = d + 1
        var xtx = [Double](repeating: 0, count: width * width)
        var xtt = [Double](repeating: 0, count: width * out)
        var used = 0
        for (id, vector) in features.sorted(by: { $0.key < $1.key }) {
            guard vector.count == d else { throw RecommendError.featureDimensionMismatch(item: id, expected: d, actual: vector.count) }
            guard let i = model.items.index(of: id), data.knowsItem(i) else { continue }
            let rep = latent.itemRepresentation(i)
            let x = vector.map(Double.init) + [1]
            let t = [Double(rep.bias)] + rep.factors.map(Double.init)
            for a in 0..<width {
                for b in 0..<width { xtx[a * width + b] += x[a] * x[b] }
                for c in 0..<out { xtt[a * out + c] += x[a] * t[c] }
            }
            used += 1
        }
        guard used > 0 else { throw RecommendError.invalidSplit(reason: "no rated item has a feature vector") }
        for a in 0..<d { xtx[a * width + a] += Double(regularization) }
        xtx[d * width + d] += 1e-6
        let a = xtx.map(Float.init)
        var weights = [Float](repeating: 0, count: width * out)
        for c in 0..<out {
            var column = (0..<width).map { Float(xtt[$0 * out + c]) }
            let solved = a.withUnsafeBufferPointer { ab in
                column.withUnsafeMutableBufferPointer { Kernels.choleskySolve(ab.baseAddress!, $0.baseAddress!, width) }
            }
            guard solved else { throw RecommendError.invalidSplit(reason: "feature matrix is singular; raise the regularization") }
            for r in 0..<width { weights[r * out + c] = column[r] }
        }
        return RidgeColdStartMapping(featureDimension: d, outputDimension: out, weights: weights)
    }

    /// Creates a map from its weights.
    public init(featureDimension: Int, outputDimension: Int, weights: [Float]) {
        precondition(weights.count == (featureDimension + 1) * outputDimension)
        self.featureDimension = featureDimension
        self.outputDimension = outputDimension
        self.weights = weights
    }

    /// [features, 1]·W split into bias and factors.
    public func itemRepresentation(for features: [Float]) -> ItemRepresentation {
        var t = [Float](repeating: 0, count: outputDimension)
        for r in 0...featureDimension {
            let x: Float = r < featureDimension ? features[r] : 1
            for c in 0..<outputDimension { t[c] += x * weights[r * outputDimension + c] }
        }
        return ItemRepresentation(bias: t[0], factors: Array(t.dropFirst()))
    }
}

extension RecommenderModel {
    /// Adds item `id`, which has no ratings, with the representation `mapping`
    /// gives its `features`; it can then be recommended and gets similar items.
    /// Rating predictions for it stay the user's baseline until it is rated
    /// and folded in (Surprise's semantics for an unknown item).
    /// - Throws: `RecommendError.unsupported` for itemknn/popular,
    ///   `.featureDimensionMismatch`, `.itemAlreadyRated`.
    public mutating func addColdStartItem(_ id: String, features: [Float], mapping: any ColdStartMapping) throws {
        guard recommender is any LatentItemRecommender else {
            throw RecommendError.unsupported(algorithm: algorithm.rawValue, operation: "cold start from content features")
        }
        guard features.count == mapping.featureDimension else {
            throw RecommendError.featureDimensionMismatch(item: id, expected: mapping.featureDimension, actual: features.count)
        }
        if let i = items.index(of: id), recommender.trainingData.knowsItem(i) { throw RecommendError.itemAlreadyRated(id) }
        let index = items.insert(id).index
        let old = recommender.trainingData
        let grown = RatingMatrix(itemCount: items.count, byUser: old.byUser)
        try recommender.foldIn(grown, users: [], items: [])
        guard var latent = recommender as? any LatentItemRecommender else {
            throw RecommendError.unsupported(algorithm: algorithm.rawValue, operation: "cold start from content features")
        }
        let representation = mapping.itemRepresentation(for: features)
        guard representation.factors.count == latent.factorCount else {
            throw RecommendError.unsupported(
                algorithm: algorithm.rawValue,
                operation: "a cold-start mapping with \(representation.factors.count) factors (the model has \(latent.factorCount))")
        }
        latent.setItemRepresentation(representation, item: index)
        recommender = latent
        coldStartItems.insert(index)
    }
}
