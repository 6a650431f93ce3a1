import FinchDistributed
import FinchNN
import FinchTensor
import Testing

@testable import FinchTrain

@Suite struct DataParallelTests {
    @Test func sharesTileEachBatchInOrder() {
        for n in [0, 1, 3, 5, 8] {
            let batch = (0..<n).map { $0 * 10 + 3 }
            for size in 1...4 {
                let parts = (0..<size).flatMap { DataParallel.share(of: batch, rank: $0, size: size) }
                #expect(parts == batch, "n \(n) size \(size)")
            }
        }
        #expect(DataParallel.share(of: [7, 8, 9], rank: 0, size: 2) == [7])
        #expect(DataParallel.share(of: [7, 8, 9], rank: 1, size: 2) == [8, 9])
    }

    @Test func fgmIsRefused() {
        var c = TrainingConfiguration()
        c.adversarialEpsilon = 0.1
        #expect(throws: DistributedError.self) { try DataParallel(communicator: SingleProcessCommunicator()).validate(c) }
    }

    func mask(_ shape: [Int], samples: [Int], step: Int = 3, p: Float = 0.3) -> [Float] {
        let keys = SampleKeyedDropout()
        keys.step = step
        keys.samples = samples
        return keys.mask(shape: shape, probability: p, moduleKey: 99).scalars
    }

    @Test func maskDependsOnSampleNotOnSplitOrPadding() {
        // [B, S, H]: samples 7 and 9 together equal each alone.
        let both = mask([2, 4, 3], samples: [7, 9])
        #expect(Array(both[0..<12]) == mask([1, 4, 3], samples: [7]))
        #expect(Array(both[12..<24]) == mask([1, 4, 3], samples: [9]))
        // Padding to 6 positions keeps the first 4 positions' mask.
        let padded = mask([1, 6, 3], samples: [7])
        #expect(Array(padded[0..<12]) == mask([1, 4, 3], samples: [7]))
        // [B, heads, S, S]: the 4×4 corner of a 6×6 map is the 4×4 map.
        let small = mask([1, 2, 4, 4], samples: [7]), large = mask([1, 2, 6, 6], samples: [7])
        for h in 0..<2 {
            for q in 0..<4 {
                #expect(Array(small[(h * 16 + q * 4)..<(h * 16 + q * 4 + 4)]) == Array(large[(h * 36 + q * 6)..<(h * 36 + q * 6 + 4)]))
            }
        }
        // A flattened [B·S, H] input has rows per sample.
        #expect(mask([4, 3], samples: [7]) == mask([1, 4, 3], samples: [7]))
        // Another step or sample draws another mask.
        #expect(mask([1, 4, 3], samples: [7], step: 4) != mask([1, 4, 3], samples: [7]))
        #expect(mask([1, 4, 3], samples: [8]) != mask([1, 4, 3], samples: [7]))
    }

    @Test func maskKeepsOneMinusPScaled() {
        let values = mask([4, 50, 50], samples: [0, 1, 2, 3], p: 0.3)
        let kept = values.filter { $0 != 0 }
        #expect(kept.allSatisfy { Swift.abs($0 - 1 / 0.7) < 1e-6 })
        let fraction = Double(kept.count) / Double(values.count)
        #expect(Swift.abs(fraction - 0.7) < 0.02, "\(fraction)")
    }

    @Test func installedMasksReplaceTheStream() {
        var rng = FinchRNG(seed: 1)
        let dropout = Dropout(probability: 0.5, rng: &rng)
        let keys = SampleKeyedDropout.install(on: dropout, seed: 5)
        keys.samples = [2]
        keys.step = 0
        let x = Tensor(shape: [1, 8], values: Array(repeating: 1, count: 8))
        let first = dropout(x).scalars, second = dropout(x).scalars
        #expect(first == second)  // keyed: the same sample and step draw the same mask
        SampleKeyedDropout.uninstall(from: dropout)
        #expect(dropout.maskSource == nil)
    }
}
