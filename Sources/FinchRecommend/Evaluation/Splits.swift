import FinchTensor

/// A train/test partition of a dataset's rating positions.
public struct DataSplit: Sendable, Equatable {
    /// Positions of the training ratings, in the order a model sees them.
    public var train: [Int]
    /// Positions of the test ratings.
    public var test: [Int]
}

/// How to hold out ratings for evaluation.
public enum SplitStrategy: Sendable, Equatable {
    /// k-fold cross-validation over a seeded shuffle (Surprise's `KFold(shuffle=True)`).
    case kFold(folds: Int)
    /// One random split with this fraction of ratings for testing.
    case random(testFraction: Double)
    /// Per user, the k latest ratings by timestamp for testing (users with at
    /// most k ratings stay entirely in training).
    case leaveLastK(k: Int)
}

/// Builds `DataSplit`s.
public enum Splitter {
    /// The splits of `strategy` for `dataset`, seeded by `seed`.
    /// - Throws: `RecommendError.invalidSplit` for impossible parameters or
    ///   (leave-last-k) a dataset without timestamps.
    public static func splits(_ dataset: RatingDataset, strategy: SplitStrategy, seed: UInt64) throws -> [DataSplit] {
        switch strategy {
        case .kFold(let folds): return try kFold(count: dataset.count, folds: folds, seed: seed)
        case .random(let fraction): return [try random(count: dataset.count, testFraction: fraction, seed: seed)]
        case .leaveLastK(let k): return [try leaveLastK(dataset, k: k)]
        }
    }

    /// A seeded Fisher–Yates permutation of 0..<count.
    static func permutation(count: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var rng = FinchRNG(seed: seed)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        return order
    }

    /// k folds over a shuffle: fold f tests the f-th slice (the first
    /// count % k folds one larger) and trains on the rest in shuffled order,
    /// exactly how Surprise's `KFold` slices its shuffled indices.
    public static func kFold(count: Int, folds: Int, seed: UInt64) throws -> [DataSplit] {
        guard folds >= 2, folds <= count else {
            throw RecommendError.invalidSplit(reason: "need 2 ≤ folds ≤ number of ratings (\(count)), got \(folds)")
        }
        return try kFold(order: permutation(count: count, seed: seed), folds: folds)
    }

    /// k folds over a given order of the rating positions (for example a
    /// permutation shared with another library), sliced as `kFold(count:folds:seed:)` does.
    public static func kFold(order: [Int], folds: Int) throws -> [DataSplit] {
        let count = order.count
        guard folds >= 2, folds <= count else {
            throw RecommendError.invalidSplit(reason: "need 2 ≤ folds ≤ number of ratings (\(count)), got \(folds)")
        }
        guard Set(order).count == count, order.allSatisfy({ $0 >= 0 && $0 < count }) else {
            throw RecommendError.invalidSplit(reason: "the order is not a permutation of 0..<\(count)")
        }
        var result: [DataSplit] = []
        var stop = 0
        for f in 0..<folds {
            let start = stop
            stop += count / folds
            if f < count % folds { stop += 1 }
            result.append(DataSplit(train: Array(order[..<start]) + Array(order[stop...]), test: Array(order[start..<stop])))
        }
        return result
    }

    /// A random split with round(fraction·count) test ratings.
    public static func random(count: Int, testFraction: Double, seed: UInt64) throws -> DataSplit {
        guard testFraction > 0, testFraction < 1 else {
            throw RecommendError.invalidSplit(reason: "test fraction must be in (0, 1), got \(testFraction)")
        }
        let order = permutation(count: count, seed: seed)
        let testCount = Int((Double(count) * testFraction).rounded())
        guard testCount > 0, testCount < count else {
            throw RecommendError.invalidSplit(reason: "\(count) ratings leave an empty train or test set")
        }
        return DataSplit(train: Array(order[testCount...]), test: Array(order[..<testCount]))
    }

    /// Per user, the `k` latest ratings (ties: later in the file is later) go
    /// to the test set when the user has more than `k` ratings.
    public static func leaveLastK(_ dataset: RatingDataset, k: Int) throws -> DataSplit {
        guard let timestamps = dataset.timestamps else {
            throw RecommendError.invalidSplit(reason: "leave-last-k needs a timestamp column")
        }
        guard k >= 1 else { throw RecommendError.invalidSplit(reason: "k must be at least 1") }
        var byUser = [[Int]](repeating: [], count: dataset.users.count)
        for p in 0..<dataset.count { byUser[Int(dataset.userIndices[p])].append(p) }
        var train: [Int] = [], test: [Int] = []
        for positions in byUser {
            let ordered = positions.sorted { (timestamps[$0], $0) < (timestamps[$1], $1) }
            if ordered.count > k {
                train.append(contentsOf: ordered.dropLast(k))
                test.append(contentsOf: ordered.suffix(k))
            } else {
                train.append(contentsOf: ordered)
            }
        }
        guard !test.isEmpty else { throw RecommendError.invalidSplit(reason: "no user has more than \(k) ratings") }
        train.sort()
        test.sort()
        return DataSplit(train: train, test: test)
    }
}
