/// k-nearest-neighbour classification with the cosine distance, as
/// scikit-learn's `KNeighborsClassifier(metric='cosine', algorithm='brute')`:
///
///     distance(a, b) = clip(1 − a·b / (‖a‖ ‖b‖), 0, 2)     (a zero row has similarity 0)
///
/// The `k` nearest training rows vote, each with weight 1 (`uniform`) or
/// `1 / distance` (`distance`; when some neighbours are at distance 0, only
/// they vote, with weight 1). Ties: equal distances keep the earlier training
/// row; equal votes pick the class with the smaller index, as NumPy's
/// `argmax` and SciPy's `mode` do.
public struct KNeighborsClassifier: Equatable, Sendable, Codable {
    /// How neighbours' votes are weighted (`weights`).
    public enum Weighting: String, Equatable, Sendable, Codable, CaseIterable {
        /// Every neighbour counts once.
        case uniform
        /// A neighbour counts `1 / distance`.
        case distance
    }

    /// Neighbours that vote (`n_neighbors`, default 5).
    public var neighborCount: Int
    /// Vote weighting.
    public var weighting: Weighting
    /// Training rows scaled to unit length (zero rows stay zero).
    public private(set) var rows: FeatureMatrix
    /// Class index of each training row.
    public private(set) var labels: [Int]
    /// Number of classes.
    public private(set) var classCount: Int

    /// Stores the training data (`fit`); `k` must be between 1 and the number of rows.
    public init(
        fitting x: FeatureMatrix, labels y: [Int], classCount: Int, neighborCount: Int = 5, weighting: Weighting = .uniform
    ) throws {
        try checkLabels(y, rows: x.rowCount, classCount: classCount)
        guard neighborCount >= 1 && neighborCount <= x.rowCount else {
            throw ClassicalError.invalidSetting(
                name: "n_neighbors", reason: "must be between 1 and the number of training rows (\(x.rowCount)), got \(neighborCount)")
        }
        self.neighborCount = neighborCount
        self.weighting = weighting
        self.rows = Self.unitRows(x)
        self.labels = y
        self.classCount = classCount
    }

    /// The `k` nearest training rows of each query row: indices and distances, nearest first.
    public func neighbors(_ x: FeatureMatrix) throws -> [[(index: Int, distance: Double)]] {
        guard x.columnCount == rows.columnCount else {
            throw ClassicalError.featureCountMismatch(expected: rows.columnCount, found: x.columnCount)
        }
        let queries = Self.unitRows(x), n = rows.rowCount, d = rows.columnCount, k = neighborCount
        var dense = [Double](repeating: 0, count: d)
        var distances = [Double](repeating: 0, count: n)
        var out: [[(index: Int, distance: Double)]] = []
        out.reserveCapacity(x.rowCount)
        queries.withRows { q in
            rows.withRows { train in
                dense.withUnsafeMutableBufferPointer { v in
                    for i in 0..<x.rowCount {
                        q.addScaled(i, 1, into: v.baseAddress!)
                        for j in 0..<n {
                            distances[j] = Swift.min(Swift.max(1 - train.dot(j, v.baseAddress!), 0), 2)
                        }
                        q.addScaled(i, -1, into: v.baseAddress!)
                        if q.isDense {
                            for j in 0..<d { v[j] = 0 }  // exact zero again, not a rounding residue
                        } else {
                            for kk in q.starts![i]..<q.starts![i + 1] { v[Int(q.columns![kk])] = 0 }
                        }
                        out.append(Self.smallest(k, of: distances))
                    }
                }
            }
        }
        return out
    }

    /// `predict_proba`: the vote share of each class per query row.
    public func probabilities(_ x: FeatureMatrix) throws -> [[Double]] {
        try neighbors(x).map { near in
            var votes = [Double](repeating: 0, count: classCount)
            let exact = near.contains { $0.distance == 0 }
            for (index, distance) in near {
                let weight: Double
                switch weighting {
                case .uniform: weight = 1
                case .distance: weight = exact ? (distance == 0 ? 1 : 0) : 1 / distance
                }
                votes[labels[index]] += weight
            }
            let total = votes.reduce(0, +)
            return votes.map { $0 / total }
        }
    }

    /// `predict`: the class with the most votes per query row (the smaller index on a tie).
    public func predict(_ x: FeatureMatrix) throws -> [Int] {
        try probabilities(x).map { p in
            var best = 0
            for c in 1..<p.count where p[c] > p[best] { best = c }
            return best
        }
    }

    /// The `k` smallest distances with their indices, by (distance, index).
    static func smallest(_ k: Int, of distances: [Double]) -> [(index: Int, distance: Double)] {
        var heap: [(index: Int, distance: Double)] = []  // sorted ascending, at most k
        heap.reserveCapacity(k + 1)
        for (j, dj) in distances.enumerated() {
            if heap.count == k, let last = heap.last, !(dj < last.distance) { continue }
            var pos = heap.count
            while pos > 0 && dj < heap[pos - 1].distance { pos -= 1 }
            heap.insert((j, dj), at: pos)
            if heap.count > k { heap.removeLast() }
        }
        return heap
    }

    /// Rows divided by their Euclidean norm (scikit-learn's `normalize`).
    static func unitRows(_ x: FeatureMatrix) -> FeatureMatrix {
        switch x {
        case .sparse(let m):
            var values = m.values
            for i in 0..<m.rowCount {
                var s = 0.0
                for k in m.rowStarts[i]..<m.rowStarts[i + 1] { s += values[k] * values[k] }
                if s > 0 {
                    let norm = s.squareRoot()
                    for k in m.rowStarts[i]..<m.rowStarts[i + 1] { values[k] /= norm }
                }
            }
            return .sparse(
                SparseMatrix(rowCount: m.rowCount, columnCount: m.columnCount, rowStarts: m.rowStarts, columns: m.columns, values: values))
        case .dense(var values, let n, let d):
            for i in 0..<n {
                var s = 0.0
                for j in 0..<d { s += values[i * d + j] * values[i * d + j] }
                if s > 0 {
                    let norm = s.squareRoot()
                    for j in 0..<d { values[i * d + j] /= norm }
                }
            }
            return .dense(values: values, rowCount: n, columnCount: d)
        }
    }

    private enum CodingKeys: String, CodingKey { case neighborCount, weighting, rows, labels, classCount }

    /// Reads a saved model, checking that rows, labels and `k` agree.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        neighborCount = try c.decode(Int.self, forKey: .neighborCount)
        weighting = try c.decode(Weighting.self, forKey: .weighting)
        rows = try c.decode(FeatureMatrix.self, forKey: .rows)
        labels = try c.decode([Int].self, forKey: .labels)
        classCount = try c.decode(Int.self, forKey: .classCount)
        var consistent = labels.count == rows.rowCount && neighborCount >= 1 && neighborCount <= labels.count
        consistent = consistent && labels.allSatisfy { $0 >= 0 && $0 < classCount }
        if case .dense(let v, let n, let d) = rows { consistent = consistent && n >= 0 && d >= 0 && v.count == n * d }
        guard consistent else {
            throw DecodingError.dataCorruptedError(
                forKey: .rows, in: c, debugDescription: "rows, labels and neighbour count of the kNN model disagree")
        }
    }
}
