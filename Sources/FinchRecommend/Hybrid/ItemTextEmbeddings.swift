import FinchTensor

/// Text embeddings of items by dense item index: an items × dimension matrix
/// of unit vectors (zero rows for items without text), so the cosine of every
/// item to one profile vector is one matrix–vector product.
public struct ItemTextEmbeddings: Sendable, Equatable {
    /// Vector length (0 when no item has text yet).
    public internal(set) var dimension: Int
    /// Unit vectors, row-major, `itemCount × dimension`.
    public internal(set) var vectors: [Float]
    /// Whether item i has a vector.
    public internal(set) var present: [Bool]

    /// No vectors for `itemCount` items.
    public init(itemCount: Int = 0, dimension: Int = 0) {
        self.dimension = dimension
        vectors = [Float](repeating: 0, count: itemCount * dimension)
        present = [Bool](repeating: false, count: itemCount)
    }

    /// The vectors of `embeddings` (id → vector) for the items of `items`;
    /// ids not in `items` are ignored.
    /// - Throws: `RecommendError.featureDimensionMismatch` for uneven vectors.
    public init(_ embeddings: [String: [Float]], items: IDMap) throws {
        self.init(itemCount: items.count, dimension: embeddings.values.first?.count ?? 0)
        for (id, vector) in embeddings.sorted(by: { $0.key < $1.key }) {
            guard let i = items.index(of: id) else { continue }
            try set(vector, item: i, id: id)
        }
    }

    /// Number of item rows.
    public var itemCount: Int { present.count }

    /// Adds zero rows up to `count` items.
    public mutating func grow(to count: Int) {
        guard count > present.count else { return }
        vectors.append(contentsOf: repeatElement(0, count: (count - present.count) * dimension))
        present.append(contentsOf: repeatElement(false, count: count - present.count))
    }

    /// Stores `vector` normalized to unit length for item `item` (growing as needed).
    /// - Throws: `RecommendError.featureDimensionMismatch` when the length differs from earlier vectors.
    public mutating func set(_ vector: [Float], item: Int, id: String) throws {
        if dimension == 0, !vector.isEmpty, vectors.isEmpty || present.allSatisfy({ !$0 }) {
            dimension = vector.count
            vectors = [Float](repeating: 0, count: present.count * dimension)
        }
        guard vector.count == dimension else {
            throw RecommendError.featureDimensionMismatch(item: id, expected: dimension, actual: vector.count)
        }
        grow(to: item + 1)
        var norm: Float = 0
        for v in vector { norm += v * v }
        norm = norm.squareRoot()
        let scale: Float = norm > 0 ? 1 / norm : 0
        for f in 0..<dimension { vectors[item * dimension + f] = vector[f] * scale }
        present[item] = norm > 0
    }

    /// The unit vector of `item`, or nil.
    public func vector(_ item: Int) -> [Float]? {
        guard item >= 0, item < present.count, present[item] else { return nil }
        return Array(vectors[(item * dimension)..<((item + 1) * dimension)])
    }

    /// cos(item i, `unit`) for every item into `out` (`itemCount` values; 0 for items without text).
    func cosines(to unit: [Float], into out: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<out.count { out[i] = 0 }
        let rows = Swift.min(out.count, present.count)
        guard dimension > 0, unit.count == dimension, rows > 0 else { return }
        vectors.withUnsafeBufferPointer { v in
            unit.withUnsafeBufferPointer { u in
                GEMM.sgemv(m: rows, n: dimension, a: v.baseAddress!, lda: dimension, x: u.baseAddress!, y: out.baseAddress!)
            }
        }
    }

    /// The cosine of two stored items (0 when either has no vector).
    public func cosine(_ a: Int, _ b: Int) -> Float {
        guard a >= 0, b >= 0, a < present.count, b < present.count, present[a], present[b] else { return 0 }
        var s: Float = 0
        for f in 0..<dimension { s += vectors[a * dimension + f] * vectors[b * dimension + f] }
        return s
    }
}
