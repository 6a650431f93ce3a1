/// A model whose items are rows of one factor matrix, optionally with an item
/// bias (svd, svdpp, als, bpr). The item representation for cold start, the
/// item similarities and the "because" contributions are written once here.
protocol FactorItems: LatentItemRecommender {
    /// q (or y for ALS), row-major items × `factorCount`.
    var itemFactors: [Float] { get set }
    /// Where the item biases b_i live; nil for a model without them (ALS).
    static var itemBiasPath: WritableKeyPath<Self, [Float]>? { get }
}

extension FactorItems {
    /// (b_i, q_i); b_i is 0 for a model without item biases.
    public func itemRepresentation(_ item: Int) -> ItemRepresentation {
        let k = factorCount
        let bias = Self.itemBiasPath.map { self[keyPath: $0][item] } ?? 0
        return ItemRepresentation(bias: bias, factors: Array(itemFactors[(item * k)..<((item + 1) * k)]))
    }

    /// Sets b_i (when the model has item biases) and q_i.
    public mutating func setItemRepresentation(_ representation: ItemRepresentation, item: Int) {
        let k = factorCount
        if let path = Self.itemBiasPath { self[keyPath: path][item] = representation.bias }
        itemFactors.replaceSubrange((item * k)..<((item + 1) * k), with: representation.factors.prefix(k))
    }

    /// Cosine between item factor vectors (the `implicit` library's `similar_items`).
    public func itemSimilarities(toItem item: Int, into similarities: UnsafeMutableBufferPointer<Float>) {
        FactorSupport.cosineSimilarities(itemFactors: itemFactors, width: factorCount, item: item, into: similarities)
    }

    /// The user's rated items whose factors align most with `item`'s.
    public func contributions(user: Int, item: Int) -> [Contribution] {
        FactorSupport.contributions(itemFactors: itemFactors, width: factorCount, data: trainingData, user: user, item: item)
    }
}

extension SVDRecommender: FactorItems {
    /// `factors`.
    public var factorCount: Int { configuration.factors }
    static var itemBiasPath: WritableKeyPath<Self, [Float]>? { \.itemBias }
}

extension SVDppRecommender: FactorItems {
    /// `factors` (y_i is not part of an item's representation; it stays 0 for a cold item).
    public var factorCount: Int { configuration.factors }
    static var itemBiasPath: WritableKeyPath<Self, [Float]>? { \.itemBias }
}

extension ImplicitALSRecommender: FactorItems {
    /// `factors`.
    public var factorCount: Int { configuration.factors }
    static var itemBiasPath: WritableKeyPath<Self, [Float]>? { nil }
}

extension BPRRecommender: FactorItems {
    /// `factors`.
    public var factorCount: Int { configuration.factors }
    static var itemBiasPath: WritableKeyPath<Self, [Float]>? { \.itemBias }
}

extension BaselineRecommender: LatentItemRecommender {
    /// 0: a baseline has only biases.
    public var factorCount: Int { 0 }

    /// (b_i, []).
    public func itemRepresentation(_ item: Int) -> ItemRepresentation {
        ItemRepresentation(bias: itemBias[item], factors: [])
    }

    /// Sets b_i.
    public mutating func setItemRepresentation(_ representation: ItemRepresentation, item: Int) {
        itemBias[item] = representation.bias
    }
}
