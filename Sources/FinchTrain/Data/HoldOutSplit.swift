import FinchSupport
import FinchTensor

/// A training file cut in two: what the model trains on and a held-out
/// development part it is evaluated on, used when no `--dev` file is given.
///
/// The cut is a seeded permutation (SplitMix64 `FinchRNG`, Fisher–Yates), so
/// the same file, fraction and seed always give the same parts, on any
/// machine. Both parts keep the file's order.
public struct HoldOutSplit<Element> {
    /// The examples to train on, in file order.
    public var train: [Element]
    /// The held-out examples, in file order.
    public var dev: [Element]
    /// Positions of the held-out examples in the input, ascending.
    public var devIndices: [Int]

    /// Holds out `ceil(fraction × n)` of `elements` (the count scikit-learn's
    /// and `datasets`' `train_test_split(test_size=fraction)` hold out), at
    /// least one, leaving at least one to train on.
    ///
    /// With `stratifyBy`, each class (the key's value) is held out in
    /// proportion to its size: every class gets `floor(fraction × size)`, and
    /// the rest of the total goes to the classes with the largest remainders
    /// (ties: code-point order of the class). A class never gives away its
    /// last example, so every held-out label is also a training label.
    ///
    /// - Parameters:
    ///   - fraction: share to hold out, in (0, 1); Finch's default is 0.1.
    ///   - seed: the permutation's seed (`--seed`).
    ///   - file: the file name used in the error when fewer than 2 elements.
    /// - Throws: `DataError.tooFewExamples` for fewer than 2 elements (or,
    ///   stratified, when no class has 2 or more).
    public init(
        _ elements: [Element], fraction: Double = 0.1, seed: UInt64, file: String,
        stratifyBy key: ((Element) -> String)? = nil
    ) throws {
        precondition(fraction > 0 && fraction < 1, "hold-out fraction must be in (0, 1), got \(fraction)")
        let n = elements.count
        guard n >= 2 else { throw DataError.tooFewExamples(file: file, count: n, needed: 2) }
        let wanted = min(max(Int((fraction * Double(n)).rounded(.up)), 1), n - 1)
        var rng = FinchRNG(seed: seed)
        var chosen: [Int]
        if let key {
            var groups: [String: [Int]] = [:]
            for (i, element) in elements.enumerated() { groups[key(element), default: []].append(i) }
            let classes = groups.keys.sorted(by: precedesInCodePointOrder)
            let sizes = classes.map { groups[$0]!.count }
            let quotas = Self.stratifiedQuotas(sizes: sizes, total: wanted, fraction: fraction)
            guard quotas.reduce(0, +) > 0 else { throw DataError.tooFewExamples(file: file, count: n, needed: 2) }
            chosen = []
            for (c, name) in classes.enumerated() where quotas[c] > 0 {
                var members = groups[name]!
                Self.shuffle(&members, rng: &rng)
                chosen += members.prefix(quotas[c])
            }
        } else {
            var order = Array(0..<n)
            Self.shuffle(&order, rng: &rng)
            chosen = Array(order.prefix(wanted))
        }
        chosen.sort()
        var isDev = [Bool](repeating: false, count: n)
        for i in chosen { isDev[i] = true }
        train = []
        dev = []
        train.reserveCapacity(n - chosen.count)
        dev.reserveCapacity(chosen.count)
        for (i, element) in elements.enumerated() {
            if isDev[i] { dev.append(element) } else { train.append(element) }
        }
        devIndices = chosen
    }

    /// Per-class hold-out counts summing to `total` where possible (largest
    /// remainder), each at most `size − 1`.
    static func stratifiedQuotas(sizes: [Int], total: Int, fraction: Double) -> [Int] {
        let exact = sizes.map { fraction * Double($0) }
        var quotas = zip(exact, sizes).map { min(Int($0.0.rounded(.down)), $0.1 - 1) }
        var remaining = total - quotas.reduce(0, +)
        let byRemainder = exact.indices.sorted { a, b in
            let (ra, rb) = (exact[a] - exact[a].rounded(.down), exact[b] - exact[b].rounded(.down))
            return ra != rb ? ra > rb : a < b
        }
        while remaining > 0 {
            var gave = false
            for c in byRemainder where remaining > 0 && quotas[c] < sizes[c] - 1 {
                quotas[c] += 1
                remaining -= 1
                gave = true
            }
            if !gave { break }
        }
        return quotas
    }

    /// Fisher–Yates with unbiased bounded draws (rejection), so the
    /// permutation depends only on the seed, not on the standard library.
    static func shuffle(_ a: inout [Int], rng: inout FinchRNG) {
        var i = a.count - 1
        while i > 0 {
            let j = Self.uniform(below: UInt64(i + 1), rng: &rng)
            a.swapAt(i, Int(j))
            i -= 1
        }
    }

    /// A uniform integer in `0 ..< bound` (Lemire's multiply-shift with
    /// rejection).
    static func uniform(below bound: UInt64, rng: inout FinchRNG) -> UInt64 {
        let threshold = (0 &- bound) % bound
        while true {
            let (high, low) = rng.next().multipliedFullWidth(by: bound)
            if low >= threshold { return high }
        }
    }
}

extension HoldOutSplit: Sendable where Element: Sendable {}
