import FinchTestSupport
import Foundation

@testable import FinchRecommend

/// Small datasets and helpers shared by the recommender tests.
enum TestData {
    /// A user × item checkerboard: users in the first half like (5) the
    /// first half of the items and dislike (1) the rest, the other users the
    /// opposite. Every `holdoutStride`-th cell (row-major, offset by the user)
    /// is held out. Returns the training dataset and the held-out cells.
    static func checkerboard(
        users: Int = 16, items: Int = 12, holdoutStride: Int = 5, implicit: Bool = false
    ) -> (dataset: RatingDataset, heldOut: [(user: String, item: String, liked: Bool)]) {
        var ratings: [(user: String, item: String, value: Float)] = []
        var heldOut: [(user: String, item: String, liked: Bool)] = []
        for u in 0..<users {
            for i in 0..<items {
                let liked = (u < users / 2) == (i < items / 2)
                if (u * items + i + u) % holdoutStride == 0 {
                    heldOut.append(("u\(u)", "i\(i)", liked))
                    continue
                }
                if implicit {
                    if liked { ratings.append(("u\(u)", "i\(i)", 1)) }
                } else {
                    ratings.append(("u\(u)", "i\(i)", liked ? 5 : 1))
                }
            }
        }
        let dataset = RatingDataset(
            ratings: ratings, feedback: implicit ? .implicit : .explicit,
            ratingScale: implicit ? nil : RatingScale(lower: 1, upper: 5))
        return (dataset, heldOut)
    }

    /// A low-rank explicit dataset with biases:
    /// r = clip(round(3 + b_u + b_i + 1.2·u·v/√rank + noise)), each user rating
    /// `perUser` random items, seeded; timestamps are random.
    static func lowRank(users: Int, items: Int, perUser: Int, rank: Int = 3, seed: UInt64 = 1) -> RatingDataset {
        var rng = SplitMix(seed)
        let u = (0..<(users * rank)).map { _ in rng.normal() }
        let v = (0..<(items * rank)).map { _ in rng.normal() }
        let bu = (0..<users).map { _ in 0.6 * rng.normal() }
        let bi = (0..<items).map { _ in 0.6 * rng.normal() }
        var ratings: [(user: String, item: String, value: Float)] = []
        var times: [Double] = []
        for a in 0..<users {
            var chosen = Set<Int>()
            while chosen.count < min(perUser, items) { chosen.insert(Int(rng.next() % UInt64(items))) }
            for b in chosen.sorted() {
                var dot: Float = 0
                for f in 0..<rank { dot += u[a * rank + f] * v[b * rank + f] }
                let r = min(5, max(1, (3 + bu[a] + bi[b] + 1.2 * dot / Float(rank).squareRoot() + 0.3 * rng.normal()).rounded()))
                ratings.append(("u\(a)", "i\(b)", r))
                times.append(Double(rng.next() % 1_000_000))
            }
        }
        return RatingDataset(ratings: ratings, timestamps: times, ratingScale: RatingScale(lower: 1, upper: 5))
    }

    /// The tiny Surprise fixture dataset.
    static func tinyRatings() throws -> RatingDataset {
        var options = RatingFileOptions()
        options.ratingScale = RatingScale(lower: 1, upper: 5)
        return try RatingFileReader.read(TestSupport.fixtureURL("recommend/tiny_ratings.csv").path, options: options)
    }

    /// Writes `text` to a fresh temporary file named `name` and returns its path.
    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-rec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A fresh temporary directory URL (not created).
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("finch-rec-\(UUID().uuidString)")
    }
}

/// SplitMix64 for test data (independent of the library's generator).
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Float { Float(next() >> 40) / 16_777_216 }
    mutating func normal() -> Float {
        let a = max(uniform(), 1e-7), b = uniform()
        return (-2 * log(a)).squareRoot() * cos(2 * .pi * b)
    }
}
