import FinchTensor
import Testing

@testable import FinchRecommend

/// `RatingMatrix.merging`, the per-batch merge of online fold-in, against a
/// rebuild from coordinate triplets (what fold-in did before: O(all ratings)
/// with a sort and a hash of every touched entry per batch).
@Suite struct RatingMatrixMergeTests {
    /// The rebuild: old triplets (user-major) with replaced values, new pairs appended.
    static func rebuilt(
        _ old: RatingMatrix, _ users: [Int32], _ items: [Int32], _ values: [Float], userCount: Int, itemCount: Int,
        combine: (Float, Float) -> Float
    ) -> RatingMatrix {
        var (tu, ti, tv) = old.triplets()
        var position: [UInt64: Int] = [:]
        for n in 0..<tu.count { position[UInt64(tu[n]) << 32 | UInt64(ti[n])] = n }
        for n in 0..<users.count {
            let key = UInt64(users[n]) << 32 | UInt64(items[n])
            if let p = position[key] {
                tv[p] = combine(tv[p], values[n])
            } else {
                position[key] = tu.count
                tu.append(users[n])
                ti.append(items[n])
                tv.append(values[n])
            }
        }
        return RatingMatrix(userCount: userCount, itemCount: itemCount, users: tu, items: ti, values: tv)
    }

    /// Rows of `rows` as sorted (column, value) pairs.
    static func entries(_ rows: SparseRows) -> [[String]] {
        (0..<rows.rowCount).map { r in rows.range(ofRow: r).map { "\(rows.indices[$0]):\(rows.values[$0])" }.sorted() }
    }

    @Test(arguments: [true, false]) func mergeEqualsARebuildFromTriplets(implicit: Bool) {
        var rng = FinchRNG(seed: implicit ? 3 : 4)
        // 40 users × 30 items, ~300 distinct pairs.
        var seen = Set<Int>(), users: [Int32] = [], items: [Int32] = [], values: [Float] = []
        while users.count < 300 {
            let u = Int(rng.next() % 40), i = Int(rng.next() % 30)
            if !seen.insert(u * 100 + i).inserted { continue }
            users.append(Int32(u))
            items.append(Int32(i))
            values.append(Float(rng.next() % 5 + 1))
        }
        let old = RatingMatrix(userCount: 40, itemCount: 30, users: users, items: items, values: values)
        // A batch: stored pairs, new pairs of known users/items, new users and items (up to 45 × 33),
        // and the same new pair twice.
        var bu: [Int32] = [], bi: [Int32] = [], bv: [Float] = []
        for n in 0..<60 {
            let stored = n % 3 == 0
            bu.append(stored ? users[n] : Int32(rng.next() % 45))
            bi.append(stored ? items[n] : Int32(rng.next() % 33))
            bv.append(Float(rng.next() % 5 + 1))
        }
        bu += [44, 44]
        bi += [32, 32]
        bv += [2, 3]
        let combine: (Float, Float) -> Float = implicit ? { $0 + $1 } : { $1 }
        let merged = old.merging(users: bu, items: bi, values: bv, userCount: 45, itemCount: 33, combine: combine)
        let expected = Self.rebuilt(old, bu, bi, bv, userCount: 45, itemCount: 33, combine: combine)
        #expect(merged.userCount == 45 && merged.itemCount == 33)
        #expect(merged.byUser == expected.byUser)  // same order too: old rows, then new pairs in batch order
        #expect(merged.globalMean == expected.globalMean)
        // The item-major view holds the same entries; each row keeps its old entries first, in their order.
        #expect(Self.entries(merged.byItem) == Self.entries(expected.byItem))
        for i in 0..<old.itemCount {
            let kept = merged.byItem.range(ofRow: i).prefix(old.byItem.count(ofRow: i)).map { merged.byItem.indices[$0] }
            #expect(kept == old.byItem.range(ofRow: i).map { old.byItem.indices[$0] })
        }
        #expect(merged.value(user: 44, item: 32) == (implicit ? 5 : 3))
        #expect(merged.knowsUser(44) && merged.knowsItem(32))
    }

    @Test func anEmptyBatchOnlyGrowsTheCounts() {
        let old = RatingMatrix(userCount: 2, itemCount: 2, users: [0, 1], items: [1, 0], values: [4, 2])
        let merged = old.merging(users: [], items: [], values: [], userCount: 3, itemCount: 2, combine: { $1 })
        #expect(merged.userCount == 3 && merged.byUser.offsets == [0, 1, 2, 2] && merged.byItem == old.byItem)
        #expect(merged.globalMean == 3)
    }
}

/// The divergence check's scan (16 lanes, then a scalar tail) finds NaN and ±∞ wherever they are.
@Suite struct FirstNonFiniteTests {
    @Test func findsTheFirstNaNOrInfinityInTheLanesAndInTheTail() {
        for count in [0, 1, 15, 16, 17, 37, 64] {
            #expect(firstNonFinite([Float](repeating: 1.5, count: count)) == nil, "\(count) finite values")
            for position in Set([0, count / 2, count - 1]) where position >= 0 && position < count {
                for bad in [Float.nan, .infinity, -.infinity] {
                    var values = (0..<count).map { Float($0) - 3 }
                    values[position] = bad
                    if position + 1 < count { values[count - 1] = .nan }
                    #expect(firstNonFinite(values) == position, "\(bad) at \(position) of \(count)")
                }
            }
        }
        #expect(firstNonFinite([Float.greatestFiniteMagnitude, -.greatestFiniteMagnitude]) == nil)
    }
}
