import FinchApps
import FinchRecommend
import FinchServer
import Foundation
import Testing

/// A small implicit dataset with two tastes: even users view items of
/// category A (i0…i14), odd users items of B (i15…i29), 6 each; an ALS model
/// on it saved as a model folder; the catalogue with one text vector per item.
enum RecommendTestData {
    static let weights = "view=1,like=3"

    /// A deterministic generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func float() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
    }

    static func category(_ item: Int) -> String { item < 15 ? "A" : "B" }

    static func dataset(users: Int = 40) -> RatingDataset {
        var g = Generator(state: 7)
        var ratings: [(user: String, item: String, value: Float)] = []
        var times: [Double] = []
        for u in 0..<users {
            var chosen = Set<Int>()
            while chosen.count < 6 { chosen.insert((u % 2 == 0 ? 0 : 15) + g.int(15)) }
            for i in chosen.sorted() {
                ratings.append(("u\(u)", "i\(i)", 1))
                times.append(Double(ratings.count))
            }
        }
        return RatingDataset(ratings: ratings, timestamps: times, feedback: .implicit)
    }

    /// Trains ALS (4 factors) on `dataset()` and saves it under `root/name`.
    static func modelFolder(in root: URL, name: String = "recs") throws -> URL {
        let model = try RecommenderModel.train(dataset(), algorithm: .als, parameters: ["factors": "4", "alpha": "4", "seed": "1"])
        let url = root.appendingPathComponent(name)
        try model.save(to: url)
        return url
    }

    /// Unit vectors of `dimension` per item, deterministic.
    static func embedding(_ item: Int, dimension: Int = 32) -> [Float] {
        var g = Generator(state: UInt64(1000 + item))
        let v = (0..<dimension).map { _ in g.float() }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    static func catalogue() -> [RecommendItemRecord] {
        (0..<30).map {
            RecommendItemRecord(
                id: "i\($0)", title: "Item \($0)", text: "item number \($0)", categories: [category($0)], embedding: embedding($0))
        }
    }

    /// The features the service fits its cold-start mapping on.
    static func features() -> [String: [Float]] {
        var out: [String: [Float]] = [:]
        for i in 0..<30 { out["i\(i)"] = embedding(i) }
        return out
    }

    /// A server fixture that also serves `recs` with the catalogue stored; `adjust` changes the configuration.
    static func fixture(adjust: @escaping (inout ServerConfiguration) -> Void = { _ in }) async throws -> (
        fixture: ServerFixture, model: URL
    ) {
        let dir = try ServerFixture.temporaryDirectory()
        let folder = try modelFolder(in: dir)
        let fixture = try await ServerFixture { config in
            config.models.append(.init(name: "recs", path: folder.path))
            config.recommend.model = "recs"
            config.recommend.embedder = "mini"
            config.recommend.eventWeights.weights = ["view": 1, "like": 3]
            adjust(&config)
        }
        for item in catalogue() { try await fixture.store.recommendEvents.putItem(item) }
        return (fixture, folder)
    }
}

/// Consent from a fixed list (a test double until the store-backed lookup is on main).
struct FixedConsent: ConsentLookup {
    var refusing: Set<String>
    func consent(user: String) async throws -> UserConsent {
        UserConsent(personalization: !refusing.contains(user), storeTextsForTraining: false)
    }
}
