/// A position in a list of scores, with its score.
public struct RankedIndex: Sendable, Equatable {
    /// The position in the scores given to `TopK.largest`.
    public var index: Int
    /// The score there.
    public var score: Float

    /// Position `index` with `score`.
    public init(index: Int, score: Float) {
        self.index = index
        self.score = score
    }
}

/// Selection of the k largest scores without sorting all of them.
public enum TopK {
    /// The `count` largest scores, best first; ties go to the lower index.
    /// Entries equal to −∞ or NaN are skipped (−∞ marks "excluded"), so fewer
    /// than `count` may come back. O(n log k) with a bounded min-heap, so
    /// top-10 of 50,000 items is one linear pass. A `count` ≤ 0 gives none.
    public static func largest(_ scores: UnsafeBufferPointer<Float>, count: Int) -> [RankedIndex] {
        let k = Swift.min(count, scores.count)
        if k <= 0 { return [] }
        var heapScores = [Float](repeating: 0, count: k)
        var heapItems = [Int](repeating: 0, count: k)
        var size = 0
        heapScores.withUnsafeMutableBufferPointer { hs in
            heapItems.withUnsafeMutableBufferPointer { hi in
                // "a is worse than b": lower score, or same score and higher index.
                @inline(__always) func worse(_ s1: Float, _ i1: Int, _ s2: Float, _ i2: Int) -> Bool {
                    s1 < s2 || (s1 == s2 && i1 > i2)
                }
                func siftDown(_ start: Int) {
                    var i = start
                    while true {
                        let l = 2 * i + 1, r = l + 1
                        var m = i
                        if l < size, worse(hs[l], hi[l], hs[m], hi[m]) { m = l }
                        if r < size, worse(hs[r], hi[r], hs[m], hi[m]) { m = r }
                        if m == i { return }
                        hs.swapAt(i, m)
                        hi.swapAt(i, m)
                        i = m
                    }
                }
                for n in 0..<scores.count {
                    let s = scores[n]
                    if s == -.infinity || s.isNaN { continue }
                    if size < k {
                        var i = size
                        hs[i] = s
                        hi[i] = n
                        size += 1
                        while i > 0 {
                            let parent = (i - 1) / 2
                            if worse(hs[i], hi[i], hs[parent], hi[parent]) {
                                hs.swapAt(i, parent)
                                hi.swapAt(i, parent)
                                i = parent
                            } else {
                                break
                            }
                        }
                    } else if worse(hs[0], hi[0], s, n) {
                        hs[0] = s
                        hi[0] = n
                        siftDown(0)
                    }
                }
            }
        }
        var result = (0..<size).map { RankedIndex(index: heapItems[$0], score: heapScores[$0]) }
        result.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
        return result
    }
}

extension TopK {
    /// `largest(_:count:)` over an array.
    public static func largest(_ scores: [Float], count: Int) -> [RankedIndex] {
        scores.withUnsafeBufferPointer { largest($0, count: count) }
    }
}
