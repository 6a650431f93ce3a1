import FinchSupport

/// The algorithms Finch implements, by the name the CLI uses.
public enum Algorithm: String, CaseIterable, Sendable, Codable {
    /// Global mean plus user and item biases (Surprise `BaselineOnly`).
    case baseline
    /// Items ranked by number of ratings; predicts the item's mean rating.
    case popular
    /// Biased matrix factorization by SGD (Surprise `SVD`).
    case svd
    /// SVD++ with the implicit-feedback term (Surprise `SVDpp`).
    case svdpp
    /// Implicit-feedback ALS with confidence weights (the `implicit` library).
    case als
    /// Bayesian personalized ranking.
    case bpr
    /// Item-based KNN with baseline correction (Surprise `KNNBaseline`, item-based).
    case itemknn

    /// The implementing type.
    public var recommenderType: any Recommender.Type {
        switch self {
        case .baseline: return BaselineRecommender.self
        case .popular: return PopularRecommender.self
        case .svd: return SVDRecommender.self
        case .svdpp: return SVDppRecommender.self
        case .als: return ImplicitALSRecommender.self
        case .bpr: return BPRRecommender.self
        case .itemknn: return ItemKNNRecommender.self
        }
    }

    /// An unfitted recommender with `parameters` (name → value text); missing
    /// names take the reference defaults.
    /// - Throws: `RecommendError.unknownHyperparameter` / `.invalidHyperparameter`.
    public func makeRecommender(parameters: [String: String] = [:]) throws -> any Recommender {
        try recommenderType.init(parameters: parameters)
    }

    /// The algorithm called `name`.
    /// - Throws: `RecommendError.unknownAlgorithm`.
    public init(named name: String) throws {
        guard let a = Algorithm(rawValue: name.lowercased()) else {
            throw RecommendError.unknownAlgorithm(name, known: Algorithm.allCases.map(\.rawValue))
        }
        self = a
    }
}

/// One step of a long fit (FinchSupport's `ProgressEvent`), reported to a `TrainingObserver`.
public typealias TrainingProgress = ProgressEvent

/// What a `TrainingObserver` asks the fit to do next (`.stop` keeps what was learnt so far).
public typealias TrainingAction = ProgressAction

/// Called after every epoch (or stage) of a fit; the CLI draws a progress bar,
/// the server logs. Returning `.stop` ends the fit early.
public typealias TrainingObserver = ProgressObserver

/// An item with a score, for top-k lists.
public struct ScoredItem: Sendable, Equatable {
    /// Dense item index.
    public var item: Int
    /// Ranking score (higher is better); for explicit models the estimated rating.
    public var score: Float

    /// Creates a scored item.
    public init(item: Int, score: Float) {
        self.item = item
        self.score = score
    }
}

/// One of the user's rated items and how much it supports a recommendation.
public struct Contribution: Sendable, Equatable {
    /// Dense index of the user's rated item.
    public var item: Int
    /// Its weight: for item-KNN the neighbour's share of the deviation from the
    /// baseline, sim·(r − b)/Σ|sim|; for factor models the cosine between the
    /// two items' factor vectors.
    public var weight: Float

    /// Creates a contribution.
    public init(item: Int, weight: Float) {
        self.item = item
        self.weight = weight
    }
}

/// A recommendation algorithm over dense user and item indices.
///
/// Contract (tested over every algorithm in `RecommenderContractTests`):
/// `fit` replaces all state; `estimate` never traps for out-of-range or
/// unknown indices (it falls back as Surprise does: global mean plus the biases
/// that are known, or nil when the model has no fallback); `scoreItems` and
/// `itemSimilarities` fill one value per item; `foldIn` re-solves the listed
/// users and items from `data` with everything else fixed; `exportArrays` +
/// `restore` reproduce predictions exactly. Users and items with no ratings in
/// `trainingData` are unknown.
public protocol Recommender: Sendable {
    /// Which algorithm this is.
    static var algorithm: Algorithm { get }
    /// Names of every hyperparameter `init(parameters:)` accepts.
    static var parameterNames: [String] { get }
    /// An unfitted model; names absent from `parameters` take the defaults.
    init(parameters: [String: String]) throws
    /// The complete hyperparameters (every name, canonical value text).
    var parameters: [String: String] { get }
    /// The ratings the model was fitted on, plus folded-in ones.
    var trainingData: RatingMatrix { get }
    /// Fits on `data`, replacing any previous state.
    mutating func fit(_ data: RatingMatrix, observer: TrainingObserver?) throws
    /// The estimated rating (not clipped), or nil when the model cannot
    /// estimate it (the caller then falls back to the global mean).
    func estimate(user: Int, item: Int) -> Float?
    /// Writes a ranking score for every item into `scores` (`itemCount` values)
    /// for a known `user`.
    func scoreItems(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>)
    /// Writes the similarity of every item to a known `item` into `similarities`.
    func itemSimilarities(toItem item: Int, into similarities: UnsafeMutableBufferPointer<Float>)
    /// The user's rated items that support recommending `item`, strongest first.
    func contributions(user: Int, item: Int) -> [Contribution]
    /// Re-solves `users` and `items` from `data` (which may have more users and
    /// items than before) keeping everything else fixed. Users are solved first,
    /// against the existing items; then items, against all users.
    mutating func foldIn(_ data: RatingMatrix, users: [Int], items: [Int]) throws
    /// The learnt arrays, by name, for saving.
    func exportArrays() -> [String: [Float]]
    /// Restores learnt arrays written by `exportArrays` for `trainingData`.
    mutating func restore(arrays: ModelArrays, trainingData: RatingMatrix) throws
}

extension Recommender {
    /// The algorithm of this instance.
    public var algorithm: Algorithm { Self.algorithm }

    /// The top `count` items for a known `user` by `scoreItems`, best first.
    /// Items without training ratings are left out unless listed in
    /// `unratedAllowed` (cold-start items); so are the user's rated items when
    /// `excludeSeen`.
    public func recommend(
        user: Int, count: Int, excludeSeen: Bool = true, unratedAllowed: Set<Int> = []
    ) -> [ScoredItem] {
        let data = trainingData
        guard data.itemCount > 0, count > 0 else { return [] }
        return withScratch(data.itemCount) { scores in
            scoreItems(forUser: user, into: scores)
            data.byItem.offsets.withUnsafeBufferPointer { o in
                for i in 0..<data.itemCount where o[i + 1] == o[i] && !unratedAllowed.contains(i) { scores[i] = -.infinity }
            }
            if excludeSeen, user >= 0, user < data.userCount {
                for n in data.byUser.range(ofRow: user) { scores[Int(data.byUser.indices[n])] = -.infinity }
            }
            return TopK.largest(UnsafeBufferPointer(scores), count: count).map { ScoredItem(item: $0.index, score: $0.score) }
        }
    }

    /// The `count` items most similar to a known `item`, itself excluded, as
    /// are items without training ratings unless listed in `unratedAllowed`.
    public func similarItems(to item: Int, count: Int, unratedAllowed: Set<Int> = []) -> [ScoredItem] {
        let data = trainingData
        guard data.itemCount > 0, count > 0 else { return [] }
        return withScratch(data.itemCount) { sims in
            itemSimilarities(toItem: item, into: sims)
            data.byItem.offsets.withUnsafeBufferPointer { o in
                for i in 0..<data.itemCount where o[i + 1] == o[i] && !unratedAllowed.contains(i) { sims[i] = -.infinity }
            }
            if item >= 0, item < sims.count { sims[item] = -.infinity }
            return TopK.largest(UnsafeBufferPointer(sims), count: count).map { ScoredItem(item: $0.index, score: $0.score) }
        }
    }
}

/// Runs `body` with a temporary buffer of `count` floats.
@inline(__always)
func withScratch<R>(_ count: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    defer { buffer.deallocate() }
    buffer.initialize(repeating: 0)
    return try body(buffer)
}
