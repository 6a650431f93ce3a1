import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

/// torch.nn.Sequential(Linear(7, 13), Tanh(), Linear(13, 5)): keys `0.*`, `2.*`.
final class TinyMLP: Module {
    let first: Linear
    let second: Linear
    var isTraining = true
    var children: [(name: String, module: any Module)] { [("0", first), ("2", second)] }

    /// The run's initial parameters from the fixture.
    init(_ fixture: TensorFixture, run: String) throws {
        first = Linear(weight: try fixture.tensor("\(run).init.0.weight"), bias: try fixture.tensor("\(run).init.0.bias"))
        second = Linear(weight: try fixture.tensor("\(run).init.2.weight"), bias: try fixture.tensor("\(run).init.2.bias"))
    }

    func callAsFunction(_ x: Tensor) -> Tensor { second(first(x).tanh()) }
}

/// One reference run: its data, loss, schedule and clipping, replayed step by step.
struct ReferenceRun {
    let fixture: TensorFixture
    let run: String
    let crossEntropy: Bool
    let schedule: LearningRateSchedule
    let baseLearningRate: Double
    let maxNorm: Float?

    /// Per-step loss, pre-clip norm and learning rate of steps `steps`.
    struct Trace {
        var losses: [Float] = []
        var norms: [Float] = []
        var learningRates: [Double] = []
    }

    /// Trains `model` with `optimizer` for `steps` as the script did.
    func train(_ model: TinyMLP, _ optimizer: any Optimizer, steps: Range<Int>) throws -> Trace {
        let x = try fixture.tensor("\(run).inputs")
        let targets = try fixture.tensor("\(run).targets")
        let classes = targets.scalars.map { Int($0) }
        var trace = Trace()
        for step in steps {
            optimizer.zeroGrad()
            let output = model(x)
            // Cross-entropy written as log-softmax + NLL (torch's cross_entropy is exactly that),
            // so the optimizer test leans on as few ops as possible.
            let loss = crossEntropy ? output.logSoftmax(axis: 1).nllLoss(targets: classes) : output.mseLoss(targets)
            loss.backward()
            if let maxNorm { trace.norms.append(clipGradNorm(optimizer.parameters, maxNorm: maxNorm)) }
            optimizer.learningRate = schedule.learningRate(atStep: step, base: baseLearningRate)
            trace.learningRates.append(optimizer.learningRate)
            optimizer.step()
            trace.losses.append(loss.item)
        }
        return trace
    }

    /// Checks every parameter of `model` against `<run>.<stage>.<name>` to `tolerance`.
    func expectParameters(_ model: TinyMLP, stage: String, tolerance: Float = 1e-5) throws {
        for (name, parameter) in model.namedParameters() {
            let reference = try fixture.tensor("\(run).\(stage).\(name)")
            let difference = TestSupport.maxAbsDifference(parameter.value, reference)
            #expect(difference <= tolerance, "\(run) \(stage) \(name): max |Δ| = \(difference)")
        }
    }

    /// Checks a trace against the fixture's losses, norms and learning rates.
    func expectTrace(_ trace: Trace, steps: Range<Int>) throws {
        let losses = try fixture.tensor("\(run).losses").scalars
        let lrs = try fixture.tensor("\(run).lrs").scalars
        for (i, step) in steps.enumerated() {
            #expect(Swift.abs(trace.losses[i] - losses[step]) <= 1e-5 * Swift.max(1, Swift.abs(losses[step])), "\(run) loss at \(step)")
            #expect(Swift.abs(trace.learningRates[i] - Double(lrs[step])) <= 1e-8, "\(run) lr at \(step)")
        }
        if maxNorm != nil {
            let norms = try fixture.tensor("\(run).norms").scalars
            for (i, step) in steps.enumerated() {
                #expect(Swift.abs(trace.norms[i] - norms[step]) <= 1e-5 * Swift.max(1, norms[step]), "\(run) norm at \(step)")
            }
        }
    }

    /// Names the run exempted from weight decay.
    var noWeightDecay: Set<String> {
        Set((fixture.meta["\(run).no_decay"] ?? "").split(separator: ",").map(String.init))
    }
}

@Suite("AdamW against torch.optim.AdamW")
struct AdamWParityTests {
    let fixture: TensorFixture
    init() throws { fixture = try TensorFixture.load("optimizer_adamw.json") }

    var linearRun: ReferenceRun {
        ReferenceRun(
            fixture: fixture, run: "adamw", crossEntropy: false,
            schedule: .linearWithWarmup(warmupSteps: 3, trainingSteps: 10), baseLearningRate: 0.05, maxNorm: 1.0)
    }
    var amsgradRun: ReferenceRun {
        ReferenceRun(
            fixture: fixture, run: "amsgrad", crossEntropy: true,
            schedule: .cosineWithWarmup(warmupSteps: 2, trainingSteps: 10), baseLearningRate: 0.02, maxNorm: 1.0)
    }

    func makeLinearOptimizer(_ model: TinyMLP) throws -> AdamW {
        try AdamW(
            parameters: model.namedParameters(), configuration: .init(learningRate: 0.05, weightDecay: 0.1),
            noWeightDecay: linearRun.noWeightDecay)
    }

    @Test func linearWarmupAndClippingMatchPyTorchFor10Steps() throws {
        let run = linearRun
        #expect(run.noWeightDecay == ["0.bias", "2.bias"])
        let model = try TinyMLP(fixture, run: run.run)
        let optimizer = try makeLinearOptimizer(model)
        let trace = try run.train(model, optimizer, steps: 0..<1)
        try run.expectParameters(model, stage: "step0")
        let rest = try run.train(model, optimizer, steps: 1..<10)
        try run.expectTrace(
            .init(
                losses: trace.losses + rest.losses, norms: trace.norms + rest.norms,
                learningRates: trace.learningRates + rest.learningRates), steps: 0..<10)
        try run.expectParameters(model, stage: "final")

        // The exported state is PyTorch's state.
        let state = optimizer.exportState()
        #expect(state.kind == "AdamW")
        for (name, _) in model.namedParameters() {
            #expect(state.steps[name] == Int(fixture.meta["adamw.state.\(name).step"] ?? ""), "\(name)")
            for buffer in ["exp_avg", "exp_avg_sq"] {
                let ours = try #require(state.tensors["\(name).\(buffer)"])
                let reference = try fixture.tensor("adamw.state.\(name).\(buffer)")
                #expect(TestSupport.isClose(ours, reference, atol: 1e-7, rtol: 1e-4), "\(name).\(buffer)")
            }
        }
        #expect(state.tensors.count == 8)
    }

    @Test func amsgradWithCosineScheduleMatchesPyTorch() throws {
        let run = amsgradRun
        let model = try TinyMLP(fixture, run: run.run)
        let optimizer = try AdamW(
            parameters: model.namedParameters(),
            configuration: .init(learningRate: 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.01, amsgrad: true))
        let trace = try run.train(model, optimizer, steps: 0..<10)
        try run.expectTrace(trace, steps: 0..<10)
        try run.expectParameters(model, stage: "final")
        let state = optimizer.exportState()
        for (name, _) in model.namedParameters() {
            let ours = try #require(state.tensors["\(name).max_exp_avg_sq"])
            let reference = try fixture.tensor("amsgrad.state.\(name).max_exp_avg_sq")
            #expect(TestSupport.isClose(ours, reference, atol: 1e-7, rtol: 1e-4), "\(name)")
        }
    }

    @Test func resumingFromSavedStateContinuesExactly() throws {
        let run = linearRun
        let uninterrupted = try TinyMLP(fixture, run: run.run)
        _ = try run.train(uninterrupted, try makeLinearOptimizer(uninterrupted), steps: 0..<10)

        let first = try TinyMLP(fixture, run: run.run)
        let firstOptimizer = try makeLinearOptimizer(first)
        _ = try run.train(first, firstOptimizer, steps: 0..<4)
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let stateURL = dir.file("optimizer.safetensors")
        try firstOptimizer.exportState().write(to: stateURL)

        // A fresh process would rebuild the model from its checkpoint and the optimizer from its file.
        let second = try TinyMLP(fixture, run: run.run)
        try second.loadStateDict(first.stateDict())
        let secondOptimizer = try makeLinearOptimizer(second)
        try secondOptimizer.importState(try OptimizerState(contentsOf: stateURL))
        #expect(secondOptimizer.exportState().steps == firstOptimizer.exportState().steps)
        _ = try run.train(second, secondOptimizer, steps: 4..<10)

        try run.expectParameters(second, stage: "final")
        for ((name, a), (_, b)) in zip(second.namedParameters(), uninterrupted.namedParameters()) {
            #expect(a.value.scalars == b.value.scalars, "\(name) differs from the uninterrupted run")
        }
    }

    @Test func importRejectsStateThatDoesNotFit() throws {
        let model = try TinyMLP(fixture, run: "adamw")
        let optimizer = try makeLinearOptimizer(model)
        _ = try linearRun.train(model, optimizer, steps: 0..<2)
        let good = optimizer.exportState()

        var wrongKind = good
        wrongKind.kind = "SGD"
        #expect(throws: OptimizerError.stateKindMismatch(expected: "AdamW", found: "SGD")) { try optimizer.importState(wrongKind) }

        var missing = good
        missing.tensors["0.bias.exp_avg_sq"] = nil
        #expect(throws: OptimizerError.stateMismatch(missing: ["0.bias.exp_avg_sq"], unexpected: [], misshapen: [])) {
            try optimizer.importState(missing)
        }

        var extra = good
        extra.steps["9.weight"] = 3
        extra.tensors["9.weight.exp_avg"] = Tensor.zeros([2])
        #expect(
            throws: OptimizerError.stateMismatch(missing: [], unexpected: ["9.weight.exp_avg", "step count of 9.weight"], misshapen: [])
        ) {
            try optimizer.importState(extra)
        }

        var misshapen = good
        misshapen.tensors["2.bias.exp_avg"] = Tensor.zeros([4])
        #expect(
            throws: OptimizerError.stateMismatch(missing: [], unexpected: [], misshapen: ["2.bias.exp_avg: state [4] vs parameter [5]"])
        ) {
            try optimizer.importState(misshapen)
        }
        // A failed import changes nothing.
        #expect(optimizer.exportState().tensors["0.bias.exp_avg"]?.scalars == good.tensors["0.bias.exp_avg"]?.scalars)
    }
}

@Suite("SGD against torch.optim.SGD")
struct SGDParityTests {
    let fixture: TensorFixture
    init() throws { fixture = try TensorFixture.load("optimizer_sgd.json") }

    @Test(arguments: [
        (
            "momentum", SGD.Configuration(learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01), false,
            LearningRateSchedule.constant
        ),
        (
            "nesterov", SGD.Configuration(learningRate: 0.05, momentum: 0.8, weightDecay: 0.05, nesterov: true), true,
            LearningRateSchedule.constantWithWarmup(warmupSteps: 4)
        ),
        ("plain", SGD.Configuration(learningRate: 0.2), false, LearningRateSchedule.constant),
    ])
    func matchesPyTorchFor10Steps(
        _ name: String, _ configuration: SGD.Configuration, _ crossEntropy: Bool,
        _ schedule: LearningRateSchedule
    ) throws {
        let run = ReferenceRun(
            fixture: fixture, run: name, crossEntropy: crossEntropy, schedule: schedule,
            baseLearningRate: configuration.learningRate, maxNorm: nil)
        let model = try TinyMLP(fixture, run: name)
        let optimizer = try SGD(
            parameters: model.namedParameters(), configuration: configuration,
            noWeightDecay: run.noWeightDecay)
        let trace = try run.train(model, optimizer, steps: 0..<1)
        try run.expectParameters(model, stage: "step0")
        let rest = try run.train(model, optimizer, steps: 1..<10)
        try run.expectTrace(
            .init(losses: trace.losses + rest.losses, learningRates: trace.learningRates + rest.learningRates),
            steps: 0..<10)
        try run.expectParameters(model, stage: "final")
        let state = optimizer.exportState()
        #expect(state.steps.values.allSatisfy { $0 == 10 })
        if configuration.momentum != 0 {
            for (key, _) in model.namedParameters() {
                let ours = try #require(state.tensors["\(key).momentum_buffer"])
                let reference = try fixture.tensor("\(name).state.\(key).momentum_buffer")
                #expect(TestSupport.maxAbsDifference(ours, reference) <= 1e-5, "\(key)")
            }
        } else {
            #expect(state.tensors.isEmpty)
        }
    }
}
