import FinchSupport
import Foundation

/// The hybrid feature columns of one user over every item (by dense index).
public struct UserFeatureColumns: Sendable {
    /// The collaborative model's score per item (0 for everything when the model does not know the user).
    public var collaborative: [Float]
    /// cos(e_i, p_u) per item (all 0 without a text profile).
    public var text: [Float]
    /// log(1 + n_i) / log(1 + max n) per item.
    public var popularity: [Float]
    /// The user's text-interest profile, when they have one.
    public var interest: TextInterest?
}

/// Computes the hybrid features and scores of a user from a fitted model,
/// the items' text embeddings and popularity counts (events per item).
/// Shared by the trainer (on a validation split), the evaluation and the
/// serving model, so all three rank the same way.
public struct HybridScorer: Sendable {
    /// The learnt blend.
    public var weights: HybridWeights
    /// Recency half-life of the text profile in seconds (nil: all events weigh the same).
    public var halfLife: Double?
    /// How many of the collaborative model's best items the blend re-ranks
    /// (nil: it ranks every item). The blend is fitted on such candidates, so
    /// ranking the same way keeps training and serving alike.
    public var candidateDepth: Int?

    /// A scorer with `weights`.
    public init(weights: HybridWeights, halfLife: Double? = nil, candidateDepth: Int? = nil) {
        self.weights = weights
        self.halfLife = halfLife
        self.candidateDepth = candidateDepth
    }

    /// log(1 + n_i) / log(1 + max n) for every item of `counts`.
    public static func popularityFeature(_ counts: [Float]) -> [Float] {
        let top = log1p(Double(counts.max() ?? 0))
        guard top > 0 else { return [Float](repeating: 0, count: counts.count) }
        return counts.map { Float(log1p(Double(Swift.max($0, 0))) / top) }
    }

    /// The three feature columns for `user` (nil or unknown to the model: no
    /// collaborative score) with `history`.
    /// - Parameter popularity: the output of `popularityFeature`, one per item.
    public func features(
        model: RecommenderModel, user: Int?, history: [HistoryEntry], embeddings: ItemTextEmbeddings, popularity: [Float],
        isPositive: (Float) -> Bool
    ) -> UserFeatureColumns {
        let n = model.recommender.trainingData.itemCount
        var collaborative = [Float](repeating: 0, count: n)
        if let user, model.recommender.trainingData.knowsUser(user) {
            collaborative.withUnsafeMutableBufferPointer { model.recommender.scoreItems(forUser: user, into: $0) }
        }
        var text = [Float](repeating: 0, count: n)
        let interest = TextInterest.profile(history: history, embeddings: embeddings, halfLife: halfLife, isPositive: isPositive)
        if let interest {
            text.withUnsafeMutableBufferPointer { embeddings.cosines(to: interest.vector, into: $0) }
        }
        var pop = popularity
        pop.resize(to: n)
        return UserFeatureColumns(collaborative: collaborative, text: text, popularity: pop, interest: interest)
    }

    /// The `count` best allowed items by the blend, best first: among the
    /// `candidateDepth` allowed items with the highest collaborative score
    /// (all allowed items when nil).
    public func rank(_ columns: UserFeatureColumns, allowed: [Bool], count: Int) -> [RankedIndex] {
        let n = columns.collaborative.count
        var blended = [Float](repeating: -.infinity, count: n)
        if let depth = candidateDepth {
            var collaborative = columns.collaborative
            for i in 0..<n where i >= allowed.count || !allowed[i] { collaborative[i] = -.infinity }
            let candidates = collaborative.withUnsafeBufferPointer { TopK.largest($0, count: depth) }
            for c in candidates {
                blended[c.index] = weights.score(
                    collaborative: columns.collaborative[c.index], text: columns.text[c.index], popularity: columns.popularity[c.index])
            }
        } else {
            for i in 0..<n where i < allowed.count && allowed[i] {
                blended[i] = weights.score(
                    collaborative: columns.collaborative[i], text: columns.text[i], popularity: columns.popularity[i])
            }
        }
        return blended.withUnsafeBufferPointer { TopK.largest($0, count: count) }
    }

    /// The blended score of every item.
    public func scores(_ columns: UserFeatureColumns) -> [Float] {
        var out = [Float](repeating: 0, count: columns.collaborative.count)
        for i in 0..<out.count {
            out[i] = weights.score(collaborative: columns.collaborative[i], text: columns.text[i], popularity: columns.popularity[i])
        }
        return out
    }
}
