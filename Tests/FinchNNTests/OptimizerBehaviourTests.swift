import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@Suite("Optimizer settings and behaviour")
struct OptimizerBehaviourTests {
    @Test func defaultsArePyTorchs() throws {
        // torch.optim.AdamW: lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False.
        let adamw = AdamW.Configuration()
        #expect(adamw.learningRate == 1e-3)
        #expect(adamw.beta1 == 0.9)
        #expect(adamw.beta2 == 0.999)
        #expect(adamw.epsilon == 1e-8)
        #expect(adamw.weightDecay == 0.01)
        #expect(adamw.amsgrad == false)
        // torch.optim.SGD: lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False.
        let sgd = SGD.Configuration()
        #expect(sgd.learningRate == 1e-3)
        #expect(sgd.momentum == 0)
        #expect(sgd.dampening == 0)
        #expect(sgd.weightDecay == 0)
        #expect(sgd.nesterov == false)

        let p = Parameter(Tensor([1, 2]))
        let optimizer = try AdamW(parameters: [("p", p)])
        #expect(optimizer.learningRate == 1e-3)
        #expect(optimizer.weightDecays == [0.01])
    }

    @Test func rejectsSettingsPyTorchRejects() {
        let params = [(name: "p", parameter: Parameter(Tensor([1])))]
        #expect(throws: OptimizerError.invalidHyperparameter(name: "learningRate", value: -1, requirement: "≥ 0")) {
            try AdamW(parameters: params, configuration: .init(learningRate: -1))
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "beta2", value: 1, requirement: "in [0, 1)")) {
            try AdamW(parameters: params, configuration: .init(beta2: 1))
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "epsilon", value: -1e-8, requirement: "≥ 0")) {
            try AdamW(parameters: params, configuration: .init(epsilon: -1e-8))
        }
        #expect(throws: OptimizerError.invalidNesterov(momentum: 0.9, dampening: 0.1)) {
            try SGD(parameters: params, configuration: .init(momentum: 0.9, dampening: 0.1, nesterov: true))
        }
        #expect(throws: OptimizerError.invalidNesterov(momentum: 0, dampening: 0)) {
            try SGD(parameters: params, configuration: .init(nesterov: true))
        }
        #expect(throws: OptimizerError.duplicateParameter(name: "p")) {
            try SGD(parameters: params + params)
        }
    }

    @Test func parametersWithoutGradientAreSkipped() throws {
        let used = Parameter(Tensor([1, -2, 3]))
        let unused = Parameter(Tensor([5, 6]))
        let frozen = Parameter(Tensor([7]), trainable: false)
        let optimizer = try AdamW(
            parameters: [("used", used), ("unused", unused), ("frozen", frozen)],
            configuration: .init(learningRate: 0.1, weightDecay: 0.5))
        for _ in 0..<3 {
            optimizer.zeroGrad()
            (used.value * used.value).sum().backward()
            optimizer.step()
        }
        #expect(unused.value.scalars == [5, 6])  // no decay either: PyTorch skips it entirely
        #expect(frozen.value.scalars == [7])
        #expect(used.value.scalars != [1, -2, 3])
        let state = optimizer.exportState()
        #expect(state.steps == ["used": 3])
        #expect(Set(state.tensors.keys) == ["used.exp_avg", "used.exp_avg_sq"])
    }

    @Test func updatesTheModelsOwnStorageInPlace() throws {
        let layer = Linear(weight: Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]), bias: Tensor([0.5, -0.5]))
        let weightStorage = layer.weight.value.storage
        let optimizer = try SGD(parameters: layer.namedParameters(), configuration: .init(learningRate: 0.5))
        layer(Tensor(shape: [1, 3], values: [1, 1, 1])).sum().backward()
        optimizer.step()
        #expect(layer.weight.value.storage === weightStorage)
        // d(sum(xWᵀ + b))/dW = 1 for x = ones: every weight moves by −lr.
        #expect(layer.weight.value.scalars == [0.5, 1.5, 2.5, 3.5, 4.5, 5.5])
        #expect(layer.bias!.value.scalars == [0, -1])
    }

    @Test func stateFilesWithoutOptimizerMetadataAreRejected() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let plain = dir.file("weights.safetensors")
        try Safetensors.write(["w.exp_avg": Tensor([1])], to: plain)
        #expect(throws: OptimizerError.invalidStateFile(file: plain.path, reason: "no 'finch.optimizer' entry in the metadata")) {
            try OptimizerState(contentsOf: plain)
        }
        let badStep = dir.file("bad-step.safetensors")
        try Safetensors.write(["w.exp_avg": Tensor([1])], metadata: ["finch.optimizer": "AdamW", "step:w": "three"], to: badStep)
        #expect(
            throws: OptimizerError.invalidStateFile(
                file: badStep.path, reason: "step count 'three' of step:w is not a non-negative integer")
        ) {
            try OptimizerState(contentsOf: badStep)
        }
    }

    @Test func learningRateIsSetPerStep() throws {
        let p = Parameter(Tensor([0]))
        let optimizer = try SGD(parameters: [("p", p)], configuration: .init(learningRate: 1))
        for rate in [0.5, 0.25, 0.0] {
            optimizer.zeroGrad()
            (p.value * 2).sum().backward()  // gradient 2
            optimizer.learningRate = rate
            optimizer.step()
        }
        #expect(p.value.scalars == [-(2 * 0.5 + 2 * 0.25)])
    }
}

/// A module tree with names as Hugging Face models spell them.
final class NamedTree: Module {
    var isTraining = true
    let own: [(name: String, parameter: Parameter)]
    let kids: [(name: String, module: any Module)]
    var ownParameters: [(name: String, parameter: Parameter)] { own }
    var children: [(name: String, module: any Module)] { kids }

    init(_ names: [String], children: [(String, any Module)] = []) {
        own = names.map { ($0, Parameter(Tensor([1]))) }
        kids = children.map { (name: $0.0, module: $0.1) }
    }
}

@Suite("Weight-decay exemptions as Hugging Face's Trainer")
struct WeightDecayTests {
    @Test func namePatternsMatchTheTrainers() {
        for name in [
            "encoder.layer.0.attention.output.LayerNorm.weight", "dense.bias", "model.norm.weight",
            "blocks.3.attn_norm.weight", "final_norm", "x.RMSNorm.scale", "norm",
        ] {
            #expect(WeightDecay.isExemptByName(name), "\(name)")
        }
        for name in ["dense.weight", "normalizer.weight", "enorm.weight", "norm_layer.weight", "embeddings.word_embeddings.weight"] {
            #expect(!WeightDecay.isExemptByName(name), "\(name)")
        }
    }

    @Test func layerNormModulesAreExemptWhateverTheirName() {
        let tree = NamedTree(
            ["head.weight"],
            children: [
                ("ln_f", LayerNorm(dimension: 3)),
                ("dense", Linear(weight: Tensor.zeros([2, 2]), bias: Tensor.zeros([2]))),
                ("block", NamedTree(["scale", "attn_norm.weight"])),
            ])
        #expect(WeightDecay.huggingFaceExemptions(in: tree) == ["ln_f.weight", "ln_f.bias", "dense.bias", "block.attn_norm.weight"])
    }
}

@Suite("Gradient clipping against torch.nn.utils.clip_grad_norm_")
struct GradientClippingTests {
    @Test(arguments: ["tight", "loose"])
    func matchesPyTorch(_ name: String) throws {
        let fixture = try TensorFixture.load("clip_grad_norm.json")
        var parameters: [(name: String, parameter: Parameter)] = []
        for i in 0..<3 {
            let grad = try fixture.tensor("\(name).grad\(i)")
            let p = Parameter(Tensor.zeros(grad.shape))
            p.value.node!.grad = grad
            parameters.append(("p\(i)", p))
        }
        let maxNorm = try fixture.tensor("\(name).max_norm").item
        let total = clipGradNorm(parameters, maxNorm: maxNorm)
        let reference = try fixture.tensor("\(name).norm").item
        #expect(Swift.abs(total - reference) <= 1e-6 * reference)
        for (i, entry) in parameters.enumerated() {
            let clipped = try #require(entry.parameter.grad)
            let expected = try fixture.tensor("\(name).clipped\(i)")
            #expect(TestSupport.maxAbsDifference(clipped, expected) <= 1e-6, "grad \(i)")
        }
        if name == "tight" {
            let after = parameters.map { $0.parameter.grad!.scalars.reduce(0) { $0 + $1 * $1 } }.reduce(0, +).squareRoot()
            #expect(Swift.abs(after - maxNorm) <= 1e-5)
        }
    }

    @Test func sharedGradientStorageIsScaledOnceAndCallersTensorsKept() {
        let shared = Tensor([3, 4])
        let a = Parameter(Tensor.zeros([2])), b = Parameter(Tensor.zeros([2]))
        a.value.node!.grad = shared
        b.value.node!.grad = shared
        let total = clipGradNorm([("a", a), ("b", b)], maxNorm: 1)
        #expect(Swift.abs(total - Float(50).squareRoot()) <= 1e-6)
        let c = 1 / (Float(50).squareRoot() + 1e-6)
        #expect(a.grad!.scalars == [3 * c, 4 * c])
        #expect(b.grad!.scalars == [3 * c, 4 * c])
        #expect(shared.scalars == [3, 4])
    }

    @Test func withoutGradientsTheNormIsZero() {
        let p = Parameter(Tensor([1, 2]))
        #expect(clipGradNorm([("p", p)], maxNorm: 1) == 0)
        #expect(p.grad == nil)
    }
}

@Suite("Learning-rate schedules against transformers.optimization")
struct LearningRateScheduleTests {
    @Test(arguments: [
        ("constant", LearningRateSchedule.constant),
        ("constant_with_warmup.5", .constantWithWarmup(warmupSteps: 5)),
        ("constant_with_warmup.0", .constantWithWarmup(warmupSteps: 0)),
        ("linear.5.20", .linearWithWarmup(warmupSteps: 5, trainingSteps: 20)),
        ("linear.0.7", .linearWithWarmup(warmupSteps: 0, trainingSteps: 7)),
        ("linear.4.4", .linearWithWarmup(warmupSteps: 4, trainingSteps: 4)),
        ("cosine.5.20", .cosineWithWarmup(warmupSteps: 5, trainingSteps: 20)),
        ("cosine.3.12.cycles1.5", .cosineWithWarmup(warmupSteps: 3, trainingSteps: 12, cycles: 1.5)),
    ])
    func matchesHuggingFace(_ key: String, _ schedule: LearningRateSchedule) throws {
        let reference = try TensorFixture.load("lr_schedules.json").tensor(key).scalars
        #expect(reference.count == 25)
        for (step, value) in reference.enumerated() {
            #expect(Swift.abs(schedule.multiplier(atStep: step) - Double(value)) <= 1e-7, "\(key) step \(step)")
        }
    }

    @Test func learningRateScalesTheBase() {
        let schedule = LearningRateSchedule.linearWithWarmup(warmupSteps: 2, trainingSteps: 6)
        #expect(schedule.learningRate(atStep: 1, base: 4e-5) == 4e-5 * 0.5)
        #expect(schedule.learningRate(atStep: 6, base: 4e-5) == 0)
    }

    @Test func encodesWithTheTrainersNames() throws {
        let schedules: [LearningRateSchedule] = [
            .constant, .constantWithWarmup(warmupSteps: 3), .linearWithWarmup(warmupSteps: 1, trainingSteps: 9),
            .cosineWithWarmup(warmupSteps: 2, trainingSteps: 8, cycles: 1.5),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for schedule in schedules {
            let data = try encoder.encode(schedule)
            #expect(try JSONDecoder().decode(LearningRateSchedule.self, from: data) == schedule)
        }
        let linear = try encoder.encode(LearningRateSchedule.linearWithWarmup(warmupSteps: 1, trainingSteps: 9))
        #expect(String(decoding: linear, as: UTF8.self) == #"{"training_steps":9,"type":"linear","warmup_steps":1}"#)
        let cosine = try JSONDecoder().decode(
            LearningRateSchedule.self, from: Data(#"{"type":"cosine","warmup_steps":0,"training_steps":10}"#.utf8))
        #expect(cosine == .cosineWithWarmup(warmupSteps: 0, trainingSteps: 10, cycles: 0.5))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LearningRateSchedule.self, from: Data(#"{"type":"polynomial"}"#.utf8))
        }
    }
}
