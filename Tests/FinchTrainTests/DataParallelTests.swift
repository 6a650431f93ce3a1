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

/// A one-rank communicator that records the size of every reduction.
final class RecordingCommunicator: Communicator, @unchecked Sendable {
    var floatMessages: [Int] = []
    var rank: Int { 0 }
    var size: Int { 1 }
    func allreduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ operation: ReduceOperation) throws {
        floatMessages.append(buffer.count)
        for i in buffer.indices { buffer[i] *= 2 }  // as if a second rank held the same values
    }
    func allreduce(_ buffer: UnsafeMutableBufferPointer<Double>, _ operation: ReduceOperation) throws {}
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws {}
    func allgatherv(_ local: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>, counts: [Int]) throws {}
    func allgather(_ value: Int32) throws -> [Int32] { [value] }
    func barrier() throws {}
    func abort(code: Int32) -> Never { fatalError("abort \(code)") }
}

@Suite struct GradientBucketTests {
    @Test func bucketsPackSmallGradientsAndSplitLargeOnes() throws {
        let sizes = [3, 4, 10, 2, 2]
        let parameters = sizes.enumerated().map { i, n in
            (name: "p\(i)", parameter: Parameter(Tensor(shape: [n], values: (0..<n).map { Float($0 + i) })))
        }
        // Gradients for all but p3 (never used: it must keep no gradient).
        for (i, entry) in parameters.enumerated() where i != 3 {
            (entry.parameter.value * Tensor(shape: [sizes[i]], values: Array(repeating: Float(i + 1), count: sizes[i]))).sum().backward()
        }
        let communicator = RecordingCommunicator()
        try GradientBuckets.allreduce(parameters, communicator: communicator, bucketElements: 8)
        // p0+p1 (7) in one bucket; p2 (10 > 8) in place as 8 + 2; p4 (2) alone.
        #expect(communicator.floatMessages == [7, 8, 2, 2])
        for (i, entry) in parameters.enumerated() {
            if i == 3 {
                #expect(entry.parameter.grad == nil)
            } else {
                #expect(entry.parameter.grad?.scalars == Array(repeating: Float(2 * (i + 1)), count: sizes[i]), "p\(i)")
            }
        }
    }
}
