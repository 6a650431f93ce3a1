import FinchNN
import FinchSupport
import FinchTensor
import Foundation
import Testing

@testable import FinchTrain

/// A point task whose loss turns NaN from its `nanFromCall`-th call on.
final class DivergingPointTask: TrainingTask {
    let inner = PointTask(seed: 5)
    var calls = 0
    let nanFromCall: Int
    init(nanFromCall: Int) { self.nanFromCall = nanFromCall }
    var model: any Module { inner.net }
    var wordEmbeddingKey: String? { nil }
    func length(of example: Point) -> Int { 1 }
    func loss(on batch: [Point]) throws -> Tensor {
        calls += 1
        let loss = try inner.loss(on: batch)
        return calls >= nanFromCall ? loss * Float.nan : loss
    }
    func evaluate(_ examples: [Point]) throws -> Evaluation { try inner.evaluate(examples) }
    func saveModel(to directory: URL) throws { try inner.saveModel(to: directory) }
}

/// The Trainer stops at once, with the step and cause, on what would make a
/// run silently wrong: divergence, a half-matching best model, FGM without a
/// gradient, a missing or broken checkpoint.
@Suite struct TrainerFailFastTests {
    static func files(in directory: URL) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func aParameterThatBecomesInfiniteStopsTheRunAndNothingIsSaved() throws {
        var c = TrainerTests.configuration()
        c.learningRate = 1e39  // finite as a Double, infinite as the Float step size
        c.warmupRatio = 0
        c.maxGradNorm = nil
        let out = temporaryDirectory()
        #expect(throws: TrainingError.nonFiniteParameter(name: "hidden.weight", step: 1, learningRate: 1e39)) {
            _ = try Trainer(
                task: PointTask(seed: 1), configuration: c, train: makePoints(40, seed: 2), dev: makePoints(10, seed: 3),
                outputDirectory: out
            ).run()
        }
        #expect(try Self.files(in: out) == [".finch.lock", "metrics.jsonl"])
        #expect(try MetricsLog(url: out.appendingPathComponent("metrics.jsonl")).read().isEmpty)
        let message = TrainingError.nonFiniteParameter(name: "hidden.weight", step: 1, learningRate: 1e39).description
        #expect(message.contains("hidden.weight") && message.contains("step 1") && message.contains("learning rate"))
    }

    @Test func aLossThatBecomesNaNStopsAtItsStepAfterTheLastGoodCheckpoint() throws {
        var c = TrainerTests.configuration()
        c.checkpointSteps = 1
        c.evaluation = .no
        let out = temporaryDirectory()
        let task = DivergingPointTask(nanFromCall: 3)
        do {
            _ = try Trainer(task: task, configuration: c, train: makePoints(40, seed: 2), dev: [], outputDirectory: out).run()
            Issue.record("the run went on with a NaN loss")
        } catch TrainingError.nonFiniteLoss(let step, _) {
            #expect(step == 3)
        }
        let state = try CheckpointStore.readState(from: out.appendingPathComponent("checkpoint"), totalSteps: 20)
        #expect(state.globalStep == 2)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("model.safetensors").path))
    }

    @Test func restoringTheBestModelIsStrict() throws {
        var c = TrainerTests.configuration()
        c.epochs = 1
        let out = temporaryDirectory()
        let trainer = try Trainer(
            task: PointTask(seed: 1), configuration: c, train: makePoints(40, seed: 2), dev: makePoints(10, seed: 3),
            outputDirectory: out)
        _ = try trainer.run()
        try trainer.restoreBest()  // what the run wrote loads back
        let best = out.appendingPathComponent("best/model.safetensors")
        var weights = try SafetensorsFile(contentsOf: best).tensors()
        weights["hidden.bias"] = nil
        try Safetensors.write(weights, to: best)
        #expect(throws: StateDictError.mismatch(missing: ["hidden.bias"], unexpected: [], misshapen: [])) { try trainer.restoreBest() }
        weights["hidden.bias"] = Tensor(shape: [16], values: [Float](repeating: 0, count: 16))
        weights["pooler.dense.bias"] = Tensor(shape: [2], values: [0, 0])
        try Safetensors.write(weights, to: best)
        #expect(throws: StateDictError.mismatch(missing: [], unexpected: ["pooler.dense.bias"], misshapen: [])) {
            try trainer.restoreBest()
        }
    }

    @Test func adversarialTrainingWithoutAnEmbeddingGradientIsRefusedAtStart() throws {
        var c = TrainerTests.configuration()
        c.adversarialEpsilon = 0.5
        let frozen = AdversarialPointTask(seed: 1)
        frozen.net.freeze(["hidden."])
        #expect(throws: TrainingError.adversarialWithoutEmbeddingGradient(key: "hidden.weight")) {
            _ = try Trainer(task: frozen, configuration: c, train: makePoints(10, seed: 1), dev: [], outputDirectory: temporaryDirectory())
        }
        #expect(throws: TrainingError.adversarialWithoutEmbeddingGradient(key: nil)) {
            _ = try Trainer(
                task: PointTask(seed: 1), configuration: c, train: makePoints(10, seed: 1), dev: [],
                outputDirectory: temporaryDirectory())
        }
    }

    func trainer(_ out: URL, evaluation: EvaluationStrategy = .epoch) throws -> Trainer<PointTask> {
        var c = TrainerTests.configuration()
        c.epochs = 2
        c.evaluation = evaluation
        return try Trainer(
            task: PointTask(seed: 1), configuration: c, train: makePoints(40, seed: 2), dev: makePoints(10, seed: 3),
            outputDirectory: out)
    }

    @Test func resumingNeedsACompleteCheckpoint() throws {
        let empty = temporaryDirectory()
        #expect(throws: TrainingError.noCheckpoint(directory: empty.appendingPathComponent("checkpoint").path)) {
            _ = try trainer(empty).run(resume: .required)
        }
        #expect(try Self.files(in: empty).isEmpty)
        // Asked to resume only when possible, it starts from step 0.
        #expect(try trainer(empty).run(resume: .ifPresent).steps == 10)

        let out = temporaryDirectory()
        _ = try trainer(out).run()
        let checkpoint = out.appendingPathComponent("checkpoint")
        try FileManager.default.removeItem(at: checkpoint.appendingPathComponent("model.safetensors"))
        #expect(throws: TrainingError.incompleteCheckpoint(directory: checkpoint.path, missing: ["model.safetensors"])) {
            _ = try trainer(out).run(resume: .required)
        }
    }

    @Test func aBrokenTrainerStateIsRejectedWithItsFile() throws {
        let out = temporaryDirectory()
        let stop = StopSignal()
        _ = try trainer(out).run(stop: stop) { if case .step(let p) = $0, p.step == 3 { stop.requestStop() } }
        let file = out.appendingPathComponent("checkpoint/trainer_state.json")
        let original = try String(contentsOf: file, encoding: .utf8)
        #expect(original.contains("\"globalStep\" : 3"))
        let tampered = original.replacingOccurrences(of: "\"globalStep\" : 3", with: "\"globalStep\" : -3")
        try tampered.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: TrainingError.invalidTrainerState(file: file.path, reason: "step -3 is outside 0…10")) {
            _ = try trainer(out).run(resume: .required)
        }
        try "{ not json".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: TrainingError.invalidTrainerState(file: file.path, reason: "not valid JSON (the top level)")) {
            _ = try trainer(out).run(resume: .required)
        }
        try "{}".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: TrainingError.invalidTrainerState(file: file.path, reason: "no field 'globalStep'")) {
            _ = try trainer(out).run(resume: .required)
        }
    }

    @Test func aSecondRunIntoTheSameFolderIsRefused() throws {
        let out = temporaryDirectory()
        do {
            let holder = try OutputFolderLock(out)
            #expect(throws: FileWriteError.folderLocked(folder: out.path)) { _ = try trainer(out).run() }
            #expect(try Self.files(in: out) == [".finch.lock"])
            withExtendedLifetime(holder) {}
        }
        #expect(try trainer(out).run().steps == 10)  // free again once the holder is gone
    }

    @Test func resumingAFinishedRunAppendsNothing() throws {
        for evaluation in [EvaluationStrategy.steps(4), .epoch] {
            let out = temporaryDirectory()
            let first = try trainer(out, evaluation: evaluation).run()
            let log = out.appendingPathComponent("metrics.jsonl")
            let before = try String(contentsOf: log, encoding: .utf8)
            #expect(before.split(separator: "\n").filter { $0.contains("\"eval\"") }.count == (evaluation == .epoch ? 2 : 3))
            let again = try trainer(out, evaluation: evaluation).run(resume: .required)
            #expect(again.steps == first.steps && again.bestStep == first.bestStep)
            #expect(try String(contentsOf: log, encoding: .utf8) == before)
        }
    }
}
