/// An immutable trie over sequences of Unicode scalars, mapping each key to
/// an integer value (a token id). Used for vocabulary prefix searches
/// (WordPiece longest match, Unigram lattice) and added-token matching.
///
/// Layout: nodes are numbered breadth-first; the edges leaving node `n` are
/// `childStart[n]..<childStart[n + 1]`, sorted by label, and the edge at
/// position `p` leads to node `p + 1`. When the root has many children a
/// 64 Ki table indexes the Basic Multilingual Plane ones directly. Matching
/// a scalar sequence is equivalent to `tokenizers`' byte-level tries for
/// valid UTF-8, since keys and texts are whole scalars.
///
/// The storage is allocated once and never mutated after `init`, which is
/// why the class may be shared across threads.
final class ScalarTrie: @unchecked Sendable {
    private let nodeCount: Int
    private let childStart: UnsafeMutablePointer<Int32>
    private let labels: UnsafeMutablePointer<UInt32>
    private let values: UnsafeMutablePointer<Int32>
    private let rootTable: UnsafeMutablePointer<Int32>?

    /// Number of keys stored.
    let keyCount: Int

    /// Builds the trie. With duplicate keys the later one's value wins (as a
    /// hash map filled in order would have it). Empty keys are ignored.
    init(keys: [[UInt32]], values keyValues: [Int]) {
        precondition(keys.count == keyValues.count, "one value per key")
        // Sort key indices lexicographically (ties by index, so duplicates keep their order).
        let order = keys.indices.sorted { a, b in
            let ka = keys[a]
            let kb = keys[b]
            let n = Swift.min(ka.count, kb.count)
            var i = 0
            while i < n {
                if ka[i] != kb[i] { return ka[i] < kb[i] }
                i += 1
            }
            if ka.count != kb.count { return ka.count < kb.count }
            return a < b
        }
        var starts: [Int32] = []
        var edgeLabels: [UInt32] = []
        var nodeValues: [Int32] = [-1]
        // Breadth-first queue of (sorted range, depth); node index = queue position.
        var queue: [(lo: Int, hi: Int, depth: Int)] = [(0, order.count, 0)]
        var head = 0
        var stored = 0
        while head < queue.count {
            var (lo, hi, depth) = queue[head]
            head += 1
            starts.append(Int32(edgeLabels.count))
            while lo < hi && keys[order[lo]].count == depth {
                if depth > 0 {
                    nodeValues[head - 1] = Int32(keyValues[order[lo]])
                    stored += 1
                }
                lo += 1
            }
            while lo < hi {
                let label = keys[order[lo]][depth]
                var groupEnd = lo + 1
                while groupEnd < hi && keys[order[groupEnd]][depth] == label { groupEnd += 1 }
                edgeLabels.append(label)
                nodeValues.append(-1)
                queue.append((lo, groupEnd, depth + 1))
                lo = groupEnd
            }
        }
        starts.append(Int32(edgeLabels.count))
        nodeCount = nodeValues.count
        keyCount = stored
        childStart = .allocate(capacity: starts.count)
        childStart.initialize(from: starts, count: starts.count)
        labels = .allocate(capacity: Swift.max(1, edgeLabels.count))
        labels.initialize(from: edgeLabels, count: edgeLabels.count)
        values = .allocate(capacity: nodeValues.count)
        values.initialize(from: nodeValues, count: nodeValues.count)
        let rootChildren = Int(starts[1] - starts[0])
        if rootChildren > 64 {
            let table = UnsafeMutablePointer<Int32>.allocate(capacity: 0x10000)
            table.initialize(repeating: 0, count: 0x10000)
            for p in 0..<rootChildren where edgeLabels[p] <= 0xFFFF { table[Int(edgeLabels[p])] = Int32(p + 1) }
            rootTable = table
        } else {
            rootTable = nil
        }
    }

    deinit {
        childStart.deallocate()
        labels.deallocate()
        values.deallocate()
        rootTable?.deallocate()
    }

    /// The node reached from `node` by `label`, or 0 (the root, never a child) when none.
    @inline(__always)
    func child(of node: Int, label: UInt32) -> Int {
        if node == 0, let table = rootTable, label <= 0xFFFF { return Int(table[Int(label)]) }
        var lo = Int(childStart[node])
        var hi = Int(childStart[node + 1])
        if hi - lo <= 8 {
            while lo < hi {
                if labels[lo] == label { return lo + 1 }
                lo += 1
            }
            return 0
        }
        while lo < hi {
            let mid = (lo + hi) >> 1
            let l = labels[mid]
            if l == label { return mid + 1 }
            if l < label { lo = mid + 1 } else { hi = mid }
        }
        return 0
    }

    /// The value stored at `node`, or -1.
    @inline(__always)
    func value(at node: Int) -> Int { Int(values[node]) }

    /// Calls `body(end, value)` for every key that is a prefix of
    /// `text[start...]`, shortest first.
    @inline(__always)
    func forEachPrefix(
        of text: UnsafeBufferPointer<UInt32>, from start: Int, _ body: (_ end: Int, _ value: Int) -> Void
    ) {
        var node = 0
        var i = start
        while i < text.count {
            node = child(of: node, label: text[i])
            if node == 0 { return }
            i += 1
            let v = values[node]
            if v >= 0 { body(i, Int(v)) }
        }
    }

    /// The longest key that is a prefix of `text[start..<end]`: its end and value.
    @inline(__always)
    func longestPrefix(of text: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int) -> (end: Int, value: Int)? {
        var node = 0
        var i = start
        var best: (end: Int, value: Int)? = nil
        while i < end {
            node = child(of: node, label: text[i])
            if node == 0 { break }
            i += 1
            let v = values[node]
            if v >= 0 { best = (i, Int(v)) }
        }
        return best
    }

    /// The value of `key`, or nil.
    func value(for key: [UInt32]) -> Int? {
        var node = 0
        for scalar in key {
            node = child(of: node, label: scalar)
            if node == 0 { return nil }
        }
        let v = node == 0 ? -1 : value(at: node)
        return v >= 0 ? v : nil
    }
}
