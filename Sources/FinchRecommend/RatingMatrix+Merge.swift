extension RatingMatrix {
    /// The matrix with `updates` merged in, in time linear in the stored
    /// ratings plus the updates (two copies of the arrays, no sort, no hash
    /// of untouched entries): what online fold-in does per batch of events.
    ///
    /// An update to a (user, item) pair already stored replaces its value
    /// with `combine(old, new)` where it stands; a new pair is appended to
    /// its user's row and its item's row, in update order. Two updates of one
    /// new pair in the batch combine the same way. Users and items at or
    /// past the old counts are new rows (`userCount`, `itemCount` give the
    /// new sizes; they never shrink). The global mean is summed over the
    /// user-major values, as `init(userCount:itemCount:users:items:values:)`
    /// does.
    public func merging(
        users: [Int32], items: [Int32], values: [Float], userCount newUserCount: Int, itemCount newItemCount: Int,
        combine: (Float, Float) -> Float
    ) -> RatingMatrix {
        precondition(users.count == items.count && users.count == values.count)
        precondition(newUserCount >= userCount && newItemCount >= itemCount)
        var userValues = byUser.values
        var itemValues = byItem.values
        // New pairs of the batch, in first-seen order, and where each (user, item) key went.
        var added: [(user: Int32, item: Int32, value: Float)] = []
        var addedIndex: [UInt64: Int] = [:]
        for n in 0..<users.count {
            let u = Int(users[n]), i = Int(items[n])
            let key = UInt64(UInt32(users[n])) << 32 | UInt64(UInt32(items[n]))
            if let a = addedIndex[key] {
                added[a].value = combine(added[a].value, values[n])
                continue
            }
            var stored: Int? = nil
            if u < userCount {
                for p in byUser.range(ofRow: u) where Int(byUser.indices[p]) == i {
                    stored = p
                    break
                }
            }
            guard let p = stored else {
                addedIndex[key] = added.count
                added.append((users[n], items[n], values[n]))
                continue
            }
            userValues[p] = combine(userValues[p], values[n])
            for q in byItem.range(ofRow: i) where Int(byItem.indices[q]) == u {
                itemValues[q] = userValues[p]
                break
            }
        }
        let newByUser = Self.appending(
            to: byUser, values: userValues, rowCount: newUserCount, added: added.map { ($0.user, $0.item, $0.value) })
        let newByItem = Self.appending(
            to: byItem, values: itemValues, rowCount: newItemCount, added: added.map { ($0.item, $0.user, $0.value) })
        return RatingMatrix(userCount: newUserCount, itemCount: newItemCount, byUser: newByUser, byItem: newByItem)
    }

    /// `rows` with `values` in place of its values and the `added` (row, column, value)
    /// entries appended to their rows in the given order; rows past the old count are new.
    static func appending(
        to rows: SparseRows, values: [Float], rowCount: Int, added: [(row: Int32, column: Int32, value: Float)]
    ) -> SparseRows {
        var extra = [Int](repeating: 0, count: rowCount)
        for a in added { extra[Int(a.row)] += 1 }
        var offsets = [Int](repeating: 0, count: rowCount + 1)
        for r in 0..<rowCount {
            let old = r < rows.rowCount ? rows.count(ofRow: r) : 0
            offsets[r + 1] = offsets[r] + old + extra[r]
        }
        let total = offsets[rowCount]
        var indices = [Int32](repeating: 0, count: total)
        var out = [Float](repeating: 0, count: total)
        var cursor = offsets
        rows.withBuffers { b in
            indices.withUnsafeMutableBufferPointer { ix in
                out.withUnsafeMutableBufferPointer { vx in
                    values.withUnsafeBufferPointer { v in
                        for r in 0..<Swift.min(rows.rowCount, rowCount) {
                            let start = b.offsets[r], n = b.offsets[r + 1] - start
                            if n == 0 { continue }
                            (ix.baseAddress! + cursor[r]).update(from: b.indices.baseAddress! + start, count: n)
                            (vx.baseAddress! + cursor[r]).update(from: v.baseAddress! + start, count: n)
                            cursor[r] += n
                        }
                    }
                }
            }
        }
        for a in added {
            let r = Int(a.row)
            indices[cursor[r]] = a.column
            out[cursor[r]] = a.value
            cursor[r] += 1
        }
        return SparseRows(checkedOffsets: offsets, indices: indices, values: out)
    }

    /// A matrix from its two views (built consistently by the caller).
    init(userCount: Int, itemCount: Int, byUser: SparseRows, byItem: SparseRows) {
        self.userCount = userCount
        self.itemCount = itemCount
        self.byUser = byUser
        self.byItem = byItem
        var sum = 0.0
        for v in byUser.values { sum += Double(v) }
        globalMean = byUser.values.isEmpty ? 0 : Float(sum / Double(byUser.values.count))
    }
}

extension SparseRows {
    /// Rows from arrays whose invariants the caller guarantees.
    init(checkedOffsets offsets: [Int], indices: [Int32], values: [Float]) {
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }
}
