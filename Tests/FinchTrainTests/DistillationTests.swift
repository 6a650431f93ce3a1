import FinchNN
import FinchTensor
import FinchTestSupport
import FinchText
import FinchTransformers
import Foundation
import Testing

@testable import FinchTrain

/// Distillation on the tiny model: the loss against its reference, the
/// student cut from the teacher, the KL term falling as the student trains,
/// and the recipe end to end.
@Suite struct DistillationTests {
    static let wordPiece = TestSupport.fixtureURL("tiny-bert-wordpiece")

    /// A tiny classifier of `layers` layers over the word-piece fixture's vocabulary, as Hugging
    /// Face initializes one but with weights drawn with std `initializerRange`. At the default 0.02
    /// every layer is close to the identity (its residual branch is small), so dropping layers
    /// changes almost nothing; at 0.3 each layer moves the output and a student without half of
    /// them starts measurably away from its teacher.
    static func teacher(layers: Int, initializerRange: Double = 0.02, seed: UInt64 = 7) throws -> TextClassificationTask {
        var config = try Checkpoint.readConfig(BertConfig.self, from: wordPiece)
        config.numHiddenLayers = layers
        config.initializerRange = initializerRange
        var rng = FinchRNG(seed: seed)
        let bert = try BertModel(config: config, rng: &rng)
        let classifier = try BertForSequenceClassification(bert: bert, labels: ["neg", "pos"], rng: &rng)
        return TextClassificationTask(
            classifier: classifier, tokenizer: try Tokenizer.load(directory: wordPiece), tokenizerDirectory: wordPiece, maxLength: 16)
    }

    static func examples(_ task: TextClassificationTask) throws -> [EncodedClassificationExample] {
        try task.encode(ClassificationReader().read(TestSupport.fixtureURL("tiny-sentiment.csv")), file: "tiny-sentiment.csv")
    }

    @Test func lossMatchesTheReference() throws {
        let fixture = try TensorFixture.load("distillation_loss.json")
        let student = try fixture.tensor("distill.student").requiringGrad()
        let loss = DistillationLoss(temperature: 2, alpha: 0.3)
        let terms = loss.terms(
            student: student, teacher: try fixture.tensor("distill.teacher"), targets: try fixture.ints("distill.targets"))
        for (got, name) in [(terms.kl, "distill.kl"), (terms.crossEntropy, "distill.crossEntropy"), (terms.total, "distill.loss")] {
            let expected = try fixture.tensor(name).item
            #expect(Swift.abs(got.item - expected) < 1e-5, "\(name): \(got.item) vs \(expected)")
        }
        terms.total.backward()
        let grad = try #require(student.grad)
        let reference = try fixture.tensor("distill.grad")
        #expect(TestSupport.isClose(grad, reference, atol: 1e-6), "max diff \(TestSupport.maxAbsDifference(grad, reference))")
    }

    @Test func alphaAndTemperatureWeighTheTerms() {
        var rng = FinchRNG(seed: 5)
        let s = Tensor.randomNormal([7, 3], std: 2, rng: &rng), t = Tensor.randomNormal([7, 3], std: 2, rng: &rng)
        let targets = [0, 1, 2, 0, 1, 2, 2]
        let soft = DistillationLoss(temperature: 3, alpha: 1).terms(student: s, teacher: t, targets: targets)
        #expect(Swift.abs(soft.total.item - 9 * soft.kl.item) < 1e-5)
        let hard = DistillationLoss(temperature: 3, alpha: 0).terms(student: s, teacher: t, targets: targets)
        #expect(Swift.abs(hard.total.item - s.crossEntropy(targets: targets).item) < 1e-6)
        // A student equal to its teacher has no KL term left.
        #expect(Swift.abs(DistillationLoss(temperature: 2, alpha: 0.5).terms(student: t, teacher: t, targets: targets).kl.item) < 1e-6)
    }

    @Test func keptLayersAreEvenlySpacedFromTheBottom() {
        #expect(DistillationStudent.keptLayers(teacherLayers: 6, studentLayers: 3) == [0, 2, 4])
        #expect(DistillationStudent.keptLayers(teacherLayers: 12, studentLayers: 6) == [0, 2, 4, 6, 8, 10])
        #expect(DistillationStudent.keptLayers(teacherLayers: 12, studentLayers: 3) == [0, 4, 8])
        #expect(DistillationStudent.keptLayers(teacherLayers: 6, studentLayers: 4) == [0, 1, 2, 3])
        #expect(DistillationStudent.keptLayers(teacherLayers: 2, studentLayers: 1) == [0])
        #expect(DistillationStudent.keptLayers(teacherLayers: 5, studentLayers: 5) == [0, 1, 2, 3, 4])
        #expect((1...12).map { DistillationStudent.defaultLayers(teacherLayers: $0) } == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6])
    }

    @Test func studentKeepsTheTeachersTensorsForTheKeptLayers() throws {
        let teacher = try Self.teacher(layers: 6).classifier
        var rng = FinchRNG(seed: 1)
        let student = try DistillationStudent.initialize(from: teacher, layers: 3, rng: &rng)
        #expect(student.bert.config.numHiddenLayers == 3)
        #expect(student.bert.encoder.layer.count == 3)
        #expect(student.labels == teacher.labels)
        let teacherState = teacher.stateDict(), studentState = student.stateDict()
        // Every student key is the teacher's, with layer k renumbered from teacher layer 2k.
        var expectedKeys: Set<String> = []
        for key in teacherState.keys {
            guard key.hasPrefix("bert.encoder.layer.") else {
                expectedKeys.insert(key)
                continue
            }
            let rest = key.dropFirst("bert.encoder.layer.".count)
            let index = Int(rest.prefix { $0 != "." })!
            if index % 2 == 0 { expectedKeys.insert("bert.encoder.layer.\(index / 2)" + rest.drop { $0 != "." }) }
        }
        #expect(Set(studentState.keys) == expectedKeys)
        #expect(studentState.keys.contains("bert.encoder.layer.2.output.dense.weight"))
        for (key, value) in studentState {
            var source = key
            for k in 0..<3 where key.hasPrefix("bert.encoder.layer.\(k).") {
                source = "bert.encoder.layer.\(2 * k)." + key.dropFirst("bert.encoder.layer.\(k).".count)
            }
            let original = try #require(teacherState[source], "\(source) missing in the teacher")
            #expect(value.shape == original.shape && value.scalars == original.scalars, "\(key) differs from the teacher's \(source)")
        }
        // The copies are the student's own: training it leaves the teacher as it was.
        student.bert.encoder.layer[0].output.dense.weight.assign(Tensor.zeros([32, 37]))
        #expect(teacher.bert.encoder.layer[0].output.dense.weight.value.scalars.contains { $0 != 0 })
        #expect(throws: DistillationError.invalidLayers(requested: 7, teacherLayers: 6)) {
            try DistillationStudent.initialize(from: teacher, layers: 7, rng: &rng)
        }
    }

    @Test func trainingLowersTheKLTerm() throws {
        let teacher = try Self.teacher(layers: 4, initializerRange: 0.3)
        var rng = FinchRNG(seed: 2)
        // A head drawn with std 3: soft labels far from uniform, different for each text.
        let head = teacher.classifier.classifier.weight
        head.assign(Tensor.randomNormal(head.shape, std: 3, rng: &rng))
        let classifier = try DistillationStudent.initialize(from: teacher.classifier, layers: 2, rng: &rng)
        let student = TextClassificationTask(
            classifier: classifier, tokenizer: teacher.tokenizer, tokenizerDirectory: Self.wordPiece, maxLength: 16)
        let task = DistillationTask(teacher: teacher.classifier, student: student, objective: DistillationLoss(temperature: 2, alpha: 1))
        let examples = try Self.examples(student)
        func kl() throws -> Float {
            classifier.eval()
            return try withoutGradient { try task.terms(on: examples).kl.item }
        }
        let teacherCopy = temporaryDirectory()
        try teacher.classifier.save(to: teacherCopy)
        let before = try kl()
        #expect(before > 1e-3, "the student starts away from its teacher (KL \(before))")
        var c = TrainingConfiguration()
        c.epochs = 3
        c.batchSize = 8
        c.learningRate = 1e-3
        c.loggingSteps = 5
        let out = temporaryDirectory()
        let trainer = try Trainer(task: task, configuration: c, train: examples, dev: Array(examples.prefix(10)), outputDirectory: out)
        var evaluations: [[String: Double]] = []
        _ = try trainer.run { event in if case .evaluated(_, _, let m, _) = event { evaluations.append(m) } }
        let after = try kl()
        #expect(after < before * 0.5, "KL \(before) → \(after)")
        // Evaluation reports how close the student is to its teacher, and the teacher did not move.
        #expect(evaluations.count == 3)
        #expect(evaluations.allSatisfy { $0["teacher_kl"] != nil && ($0["teacher_agreement"] ?? -1) >= 0 })
        let devKL = evaluations.compactMap { $0["teacher_kl"] }
        #expect(devKL.count == 3 && devKL[2] < devKL[0], "dev KL by epoch \(devKL)")
        let saved = try SafetensorsFile(contentsOf: teacherCopy.appendingPathComponent("model.safetensors")).tensors()
        #expect(teacher.classifier.stateDict().allSatisfy { saved[$0.key]?.scalars == $0.value.scalars })
    }

    @Test func interruptedDistillationResumesToTheSameStudent() throws {
        let teacherDirectory = temporaryDirectory()
        try Self.teacher(layers: 4).saveModel(to: teacherDirectory)
        func request(_ out: URL) -> DistillationRequest {
            var r = DistillationRequest(
                teacherDirectory: teacherDirectory, trainFile: TestSupport.fixtureURL("tiny-sentiment.csv"), outputDirectory: out)
            r.fineTuning.training.epochs = 2
            r.fineTuning.training.batchSize = 8
            r.fineTuning.training.learningRate = 1e-3
            r.fineTuning.training.exportBestModel = false
            return r
        }
        let whole = temporaryDirectory().appendingPathComponent("whole")
        _ = try Distillation.classify(request(whole))
        // Stopped after step 4 of 12, then continued from the checkpoint: a student is rebuilt from the
        // teacher, and the checkpoint's weights, optimizer state and data order replace its start.
        let split = temporaryDirectory().appendingPathComponent("split")
        let stop = StopSignal()
        let first = try Distillation.classify(request(split), stop: stop) { event in
            if case .step(let p) = event, p.step == 4 { stop.requestStop() }
        }
        #expect(first.summary.interrupted && first.summary.steps == 4)
        var again = request(split)
        again.fineTuning.resume = .required
        let second = try Distillation.classify(again)
        #expect(!second.summary.interrupted && second.summary.steps == 12)
        let a = try SafetensorsFile(contentsOf: whole.appendingPathComponent("model.safetensors")).tensors()
        let b = try SafetensorsFile(contentsOf: split.appendingPathComponent("model.safetensors")).tensors()
        #expect(Set(a.keys) == Set(b.keys))
        for (key, value) in a {
            let other = try #require(b[key])
            #expect(TestSupport.maxAbsDifference(value, other) < 1e-6, "\(key) differs after resuming")
        }
    }

    @Test func recipeWritesAPlainClassifierFolder() throws {
        let teacherDirectory = temporaryDirectory(), out = temporaryDirectory().appendingPathComponent("student")
        let teacher = try Self.teacher(layers: 4)
        try teacher.saveModel(to: teacherDirectory)
        var r = DistillationRequest(
            teacherDirectory: teacherDirectory, trainFile: TestSupport.fixtureURL("tiny-sentiment.csv"), outputDirectory: out)
        r.fineTuning.training.epochs = 2
        r.fineTuning.training.batchSize = 8
        r.fineTuning.training.learningRate = 1e-3
        let result = try Distillation.classify(r)
        #expect(result.settings["distillation_layers"] == "2")
        #expect(result.settings["distillation_kept_layers"] == "0,2")
        #expect(
            result.notes.contains { $0.hasPrefix("student of 2 of the teacher's 4 layers, starting from teacher layers 0, 2;") },
            "\(result.notes)")
        let config = try Checkpoint.readConfig(BertConfig.self, from: out)
        #expect(config.numHiddenLayers == 2 && config.architectures == ["BertForSequenceClassification"])
        #expect(try TaskMetadata.read(from: out).maxLength == 16)  // the teacher's
        guard case .classifier(let loaded) = try FineTunedModel.load(out) else {
            Issue.record("the student is not a classifier")
            return
        }
        #expect(loaded.classifier.labels == ["neg", "pos"])
        let evaluation = try FineTunedModel.classifier(loaded).evaluate(file: TestSupport.fixtureURL("tiny-sentiment-test.csv"))
        #expect(evaluation.metrics["accuracy"] != nil)
        // Asking for more layers than the teacher has, or a base model as teacher, fails before training.
        r.layers = 5
        #expect(throws: DistillationError.invalidLayers(requested: 5, teacherLayers: 4)) { try Distillation.classify(r) }
        var base = DistillationRequest(
            teacherDirectory: Self.wordPiece, trainFile: TestSupport.fixtureURL("tiny-sentiment.csv"),
            outputDirectory: temporaryDirectory())
        base.layers = 1
        #expect(throws: DistillationError.teacherNotAClassifier(path: Self.wordPiece.path, found: "BertModel")) {
            try Distillation.classify(base)
        }
        r.layers = 2
        r.temperature = 0
        #expect(throws: DistillationError.invalidTemperature(0)) { try Distillation.classify(r) }
        r.temperature = 2
        r.alpha = 1.5
        #expect(throws: DistillationError.invalidAlpha(1.5)) { try Distillation.classify(r) }
    }
}
