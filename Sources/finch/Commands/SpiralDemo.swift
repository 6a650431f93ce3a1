import FinchNN
import FinchTensor

/// A self-contained training run: a two-layer GELU MLP learns to separate two
/// interleaved spirals with AdamW, linear warmup + decay and gradient clipping.
/// `finch demo` runs it; it exercises tensors, autodiff, layers, optimizer and
/// schedule end to end. A demo, so it lives with the command, not in a library.
struct SpiralDemo {
    /// One epoch's result.
    struct EpochResult: Sendable, Equatable {
        var epoch: Int
        var loss: Float
        var accuracy: Float
        var learningRate: Double
    }

    var points = 512
    var hidden = 64
    var epochs = 60
    var batchSize = 64
    var learningRate = 1e-2
    var seed: UInt64 = SeedOption.defaultSeed

    init() {}

    /// The data set: `points` 2-D points on two spirals with labels 0/1.
    func data() -> (x: Tensor, y: [Int]) {
        var rng = FinchRNG(seed: seed)
        var xs: [Float] = [], ys: [Int] = []
        for i in 0..<points {
            let label = i % 2
            let t = Float(i / 2) / Float(points / 2) * 3 * Float.pi + 0.3
            let sign: Float = label == 0 ? 1 : -1
            xs.append(sign * t * _cos(t) / 10 + rng.nextNormal() * 0.02)
            xs.append(sign * t * _sin(t) / 10 + rng.nextNormal() * 0.02)
            ys.append(label)
        }
        return (Tensor(shape: [points, 2], values: xs), ys)
    }

    /// Trains and reports each epoch through `report`; returns all epochs.
    @discardableResult
    func run(report: (EpochResult) throws -> Void = { _ in }) throws -> [EpochResult] {
        var rng = FinchRNG(seed: seed &+ 1)
        let l1 = Linear(inFeatures: 2, outFeatures: hidden, rng: &rng)
        let l2 = Linear(inFeatures: hidden, outFeatures: hidden, rng: &rng)
        let l3 = Linear(inFeatures: hidden, outFeatures: 2, rng: &rng)
        let params = [("l1", l1), ("l2", l2), ("l3", l3)].flatMap { $0.1.namedParameters(prefix: $0.0 + ".") }
        let optimizer = try AdamW(parameters: params, configuration: .init(learningRate: learningRate, weightDecay: 0.01))
        let (x, y) = data()
        let batches = (points + batchSize - 1) / batchSize
        let schedule = LearningRateSchedule.linearWithWarmup(warmupSteps: batches * 2, trainingSteps: batches * epochs)
        var results: [EpochResult] = []
        var step = 0
        for epoch in 1...epochs {
            var order = Array(0..<points)
            order.shuffle(using: &rng)
            var total: Float = 0
            for b in 0..<batches {
                let idx = Array(order[(b * batchSize)..<Swift.min((b + 1) * batchSize, points)])
                let xb = x.gatherRows(idx)
                let yb = idx.map { y[$0] }
                let loss = l3(l2(l1(xb).gelu()).gelu()).crossEntropy(targets: yb)
                loss.backward()
                _ = clipGradNorm(params, maxNorm: 1)
                optimizer.learningRate = learningRate * schedule.multiplier(atStep: step)
                optimizer.step()
                optimizer.zeroGrad()
                step += 1
                total += loss.item * Float(idx.count)
            }
            let predictions = withoutGradient { l3(l2(l1(x).gelu()).gelu()) }.argmax(axis: 1)
            let accuracy = Float(zip(predictions, y).filter { $0 == $1 }.count) / Float(points)
            let r = EpochResult(epoch: epoch, loss: total / Float(points), accuracy: accuracy, learningRate: optimizer.learningRate)
            results.append(r)
            try report(r)
        }
        return results
    }
}

#if canImport(Glibc)
    import Glibc
    private func _cos(_ x: Float) -> Float { Glibc.cosf(x) }
    private func _sin(_ x: Float) -> Float { Glibc.sinf(x) }
#else
    import Darwin
    private func _cos(_ x: Float) -> Float { Darwin.cosf(x) }
    private func _sin(_ x: Float) -> Float { Darwin.sinf(x) }
#endif
