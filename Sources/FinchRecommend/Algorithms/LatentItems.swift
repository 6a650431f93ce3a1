// Item representations of the latent-factor models, for cold start.

extension SVDRecommender: LatentItemRecommender {
    /// `factors`.
    public var factorCount: Int { configuration.factors }

    /// (b_i, q_i).
    public func itemRepresentation(_ item: Int) -> ItemRepresentation {
        let k = factorCount
        return ItemRepresentation(bias: itemBias[item], factors: Array(itemFactors[(item * k)..<((item + 1) * k)]))
    }

    /// Sets b_i and q_i.
    public mutating func setItemRepresentation(_ representation: ItemRepresentation, item: Int) {
        let k = factorCount
        itemBias[item] = representation.bias
        itemFactors.replaceSubrange((item * k)..<((item + 1) * k), with: representation.factors.prefix(k))
    }
}

extension SVDppRecommender: LatentItemRecommender {
    /// `factors`.
    public var factorCount: Int { configuration.factors }

    /// (b_i, q_i); y_i is not part of it (it stays 0 for a cold item).
    public func itemRepresentation(_ item: Int) -> ItemRepresentation {
        let k = factorCount
        return ItemRepresentation(bias: itemBias[item], factors: Array(itemFactors[(item * k)..<((item + 1) * k)]))
    }

    /// Sets b_i and q_i.
    public mutating func setItemRepresentation(_ representation: ItemRepresentation, item: Int) {
        let k = factorCount
        itemBias[item] = representation.bias
        itemFactors.replaceSubrange((item * k)..<((item + 1) * k), with: representation.factors.prefix(k))
    }
}

extension ImplicitALSRecommender: LatentItemRecommender {
    /// `factors`.
    public var factorCount: Int { configuration.factors }

    /// (0, y_i): ALS has no biases.
    public func itemRepresentation(_ item: Int) -> ItemRepresentation {
        let k = factorCount
        return ItemRepresentation(bias: 0, factors: Array(itemFactors[(item * k)..<((item + 1) * k)]))
    }

    /// Sets y_i (the bias is ignored).
    public mutating func setItemRepresentation(_ representation: ItemRepresentation, item: Int) {
        let k = factorCount
        itemFactors.replaceSubrange((item * k)..<((item + 1) * k), with: representation.factors.prefix(k))
    }
}

extension BPRRecommender: LatentItemRecommender {
    /// `factors`.
    public var factorCount: Int { configuration.factors }

    /// (b_i, q_i).
    public func itemRepresentation(_ item: Int) -> ItemRepresentation {
        let k = factorCount
        return ItemRepresentation(bias: itemBias[item], factors: Array(itemFactors[(item * k)..<((item + 1) * k)]))
    }

    /// Sets b_i and q_i.
    public mutating func setItemRepresentation(_ representation: ItemRepresentation, item: Int) {
        let k = factorCount
        itemBias[item] = representation.bias
        itemFactors.replaceSubrange((item * k)..<((item + 1) * k), with: representation.factors.prefix(k))
    }
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
