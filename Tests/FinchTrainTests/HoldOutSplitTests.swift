import FinchTensor
import Foundation
import Testing

@testable import FinchTrain

@Suite struct HoldOutSplitTests {
    func examples(_ n: Int) -> [ClassificationExample] {
        (0..<n).map { ClassificationExample(text: "t\($0)", label: $0 % 10 == 0 ? "rare" : ($0 % 3 == 0 ? "a" : "b"), line: $0 + 2) }
    }

    @Test func holdsOutTheCeilingOfTenPercentDeterministically() throws {
        let data = examples(1234)
        let split = try HoldOutSplit(data, seed: 42, file: "t.csv")
        #expect(split.dev.count == 124)  // ceil(123.4)
        #expect(split.train.count == 1110)
        let again = try HoldOutSplit(data, seed: 42, file: "t.csv")
        #expect(again.devIndices == split.devIndices)
        let other = try HoldOutSplit(data, seed: 43, file: "t.csv")
        #expect(other.devIndices != split.devIndices)
        // Disjoint, complete, in file order.
        #expect(Set(split.train.map(\.line)).isDisjoint(with: split.dev.map(\.line)))
        #expect(split.train.count + split.dev.count == data.count)
        #expect(split.dev.map(\.line) == split.dev.map(\.line).sorted())
        #expect(split.devIndices.map { data[$0] } == split.dev)
        // Not just the first or last rows.
        #expect(split.devIndices.first! < 100 && split.devIndices.last! > 1100)
    }

    @Test func stratifiedKeepsProportionsAndTrainingLabels() throws {
        let data = examples(1000)
        let split = try HoldOutSplit(data, fraction: 0.1, seed: 7, file: "t.csv", stratifyBy: \.label)
        #expect(split.dev.count == 100)
        func count(_ xs: [ClassificationExample], _ label: String) -> Int { xs.filter { $0.label == label }.count }
        for label in ["rare", "a", "b"] {
            let total = count(data, label)
            let held = count(split.dev, label)
            #expect(abs(Double(held) - 0.1 * Double(total)) <= 1, "\(label): \(held) of \(total)")
        }
        // A class with one example stays in training.
        let tiny = [ClassificationExample(text: "x", label: "solo")] + examples(30)
        let s = try HoldOutSplit(tiny, seed: 1, file: "t", stratifyBy: \.label)
        #expect(s.train.contains { $0.label == "solo" })
        #expect(Set(s.dev.map(\.label)).isSubset(of: Set(s.train.map(\.label))))
    }

    @Test func quotasAndBoundedDraws() {
        #expect(HoldOutSplit<Int>.stratifiedQuotas(sizes: [15, 15, 1], total: 4, fraction: 0.1) == [2, 2, 0])
        var rng = FinchRNG(seed: 5)
        var seen = Set<UInt64>()
        for _ in 0..<200 {
            let v = HoldOutSplit<Int>.uniform(below: 7, rng: &rng)
            #expect(v < 7)
            seen.insert(v)
        }
        #expect(seen.count == 7)
    }

    @Test func smallestSplit() throws {
        let split = try HoldOutSplit([1, 2], seed: 3, file: "t")
        #expect(split.dev.count == 1 && split.train.count == 1)
    }
}
