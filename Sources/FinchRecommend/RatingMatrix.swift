/// Compressed sparse rows: row `r` holds `indices[offsets[r]..<offsets[r+1]]`
/// with the matching `values`.
///
/// Entries inside a row keep the order in which they were given (not sorted by
/// column): SGD visits a user's ratings in file order, as Surprise does.
/// Invariants: `offsets.count == rowCount + 1`, `offsets[0] == 0`, offsets
/// non-decreasing, `offsets.last == indices.count == values.count`.
public struct SparseRows: Sendable, Equatable {
    /// Row start offsets, `rowCount + 1` entries.
    public let offsets: [Int]
    /// Column index of each entry.
    public let indices: [Int32]
    /// Value of each entry.
    public let values: [Float]

    /// Builds rows from coordinate triplets by a stable counting sort:
    /// O(nnz + rowCount), and entries of one row keep their input order.
    public init(rowCount: Int, rows: [Int32], columns: [Int32], values: [Float]) {
        precondition(rows.count == columns.count && rows.count == values.count)
        var offsets = [Int](repeating: 0, count: rowCount + 1)
        for r in rows { offsets[Int(r) + 1] += 1 }
        for r in 0..<rowCount { offsets[r + 1] += offsets[r] }
        var cursor = offsets
        var outIndices = [Int32](repeating: 0, count: rows.count)
        var outValues = [Float](repeating: 0, count: rows.count)
        for n in 0..<rows.count {
            let r = Int(rows[n])
            outIndices[cursor[r]] = columns[n]
            outValues[cursor[r]] = values[n]
            cursor[r] += 1
        }
        self.offsets = offsets
        self.indices = outIndices
        self.values = outValues
    }

    /// Rows from already compressed arrays (as stored in a model file).
    /// - Throws: `RecommendError.corruptModel` when the invariants do not hold.
    public init(offsets: [Int], indices: [Int32], values: [Float], columnCount: Int) throws {
        guard let first = offsets.first, first == 0, offsets.last == indices.count, indices.count == values.count
        else { throw RecommendError.corruptModel(reason: "sparse rows: inconsistent offsets") }
        for r in 0..<(offsets.count - 1) where offsets[r] > offsets[r + 1] {
            throw RecommendError.corruptModel(reason: "sparse rows: decreasing offsets at row \(r)")
        }
        for c in indices where c < 0 || Int(c) >= columnCount {
            throw RecommendError.corruptModel(reason: "sparse rows: column \(c) outside 0..<\(columnCount)")
        }
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }

    /// Number of rows.
    public var rowCount: Int { offsets.count - 1 }

    /// Number of stored entries.
    public var entryCount: Int { indices.count }

    /// Entry positions of row `r`.
    public func range(ofRow r: Int) -> Range<Int> { offsets[r]..<offsets[r + 1] }

    /// Number of entries in row `r`.
    public func count(ofRow r: Int) -> Int { offsets[r + 1] - offsets[r] }

    /// Calls `body` with unsafe views of the three arrays, for hot loops.
    @inlinable
    public func withBuffers<R>(_ body: (SparseRowBuffers) throws -> R) rethrows -> R {
        try offsets.withUnsafeBufferPointer { o in
            try indices.withUnsafeBufferPointer { i in
                try values.withUnsafeBufferPointer { v in
                    try body(SparseRowBuffers(offsets: o, indices: i, values: v))
                }
            }
        }
    }
}

/// Unsafe views of a `SparseRows`, valid only inside `withBuffers`.
public struct SparseRowBuffers {
    /// Row start offsets.
    public let offsets: UnsafeBufferPointer<Int>
    /// Column of each entry.
    public let indices: UnsafeBufferPointer<Int32>
    /// Value of each entry.
    public let values: UnsafeBufferPointer<Float>

    /// Creates the view.
    @inlinable
    public init(offsets: UnsafeBufferPointer<Int>, indices: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }
}

/// A users × items matrix of ratings (explicit) or weights (implicit), held
/// twice: by user (CSR) and by item (CSC, stored as the rows of the
/// transpose). Users and items are dense indices of the model's `IDMap`s; a
/// user or item with no entries is "unknown" to an algorithm, as in Surprise.
public struct RatingMatrix: Sendable, Equatable {
    /// Number of users (rows); some may have no ratings.
    public let userCount: Int
    /// Number of items (columns); some may have no ratings.
    public let itemCount: Int
    /// User-major view: row `u` lists the items `u` rated, in input order.
    public let byUser: SparseRows
    /// Item-major view: row `i` lists the users who rated `i`, in input order.
    public let byItem: SparseRows
    /// Mean of all values (computed in Double), 0 when empty.
    public let globalMean: Float

    /// A matrix from coordinate triplets, in the given order.
    public init(userCount: Int, itemCount: Int, users: [Int32], items: [Int32], values: [Float]) {
        self.userCount = userCount
        self.itemCount = itemCount
        byUser = SparseRows(rowCount: userCount, rows: users, columns: items, values: values)
        byItem = SparseRows(rowCount: itemCount, rows: items, columns: users, values: values)
        var sum = 0.0
        for v in values { sum += Double(v) }
        globalMean = values.isEmpty ? 0 : Float(sum / Double(values.count))
    }

    /// A matrix from its user-major rows (the item-major view is rebuilt).
    public init(itemCount: Int, byUser: SparseRows) {
        var users = [Int32]()
        users.reserveCapacity(byUser.entryCount)
        for u in 0..<byUser.rowCount {
            for _ in byUser.range(ofRow: u) { users.append(Int32(u)) }
        }
        self.init(userCount: byUser.rowCount, itemCount: itemCount, users: users, items: byUser.indices, values: byUser.values)
    }

    /// An empty matrix of the given size.
    public static func empty(userCount: Int, itemCount: Int) -> RatingMatrix {
        RatingMatrix(userCount: userCount, itemCount: itemCount, users: [], items: [], values: [])
    }

    /// Number of stored ratings.
    public var ratingCount: Int { byUser.entryCount }

    /// True when `user` is in range and has at least one rating.
    @inlinable
    public func knowsUser(_ user: Int) -> Bool {
        user >= 0 && user < userCount && byUser.offsets[user + 1] > byUser.offsets[user]
    }

    /// True when `item` is in range and has at least one rating.
    @inlinable
    public func knowsItem(_ item: Int) -> Bool {
        item >= 0 && item < itemCount && byItem.offsets[item + 1] > byItem.offsets[item]
    }

    /// The stored value for (`user`, `item`), or nil. Linear in the user's row.
    public func value(user: Int, item: Int) -> Float? {
        guard user >= 0, user < userCount else { return nil }
        for n in byUser.range(ofRow: user) where Int(byUser.indices[n]) == item { return byUser.values[n] }
        return nil
    }

    /// Coordinate triplets in user-major order.
    public func triplets() -> (users: [Int32], items: [Int32], values: [Float]) {
        var users = [Int32]()
        users.reserveCapacity(ratingCount)
        for u in 0..<userCount {
            for _ in byUser.range(ofRow: u) { users.append(Int32(u)) }
        }
        return (users, byUser.indices, byUser.values)
    }
}
