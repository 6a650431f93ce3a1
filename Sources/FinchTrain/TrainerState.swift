import FinchNN
import FinchSupport
import FinchTensor
import Foundation

/// Where a run stands, saved with each checkpoint so a killed run resumes
/// exactly: the same batches, dropout masks, schedule and optimizer moments.
struct TrainerState: Codable, Equatable {
    var globalStep = 0
    /// Epoch in progress and how many of its batches are done.
    var epoch = 0
    var batchInEpoch = 0
    var bestMetric: Double? = nil
    var bestStep: Int? = nil
    var evaluationsWithoutImprovement = 0
    /// The step of the last evaluation (nil before the first), so a resumed
    /// finished run does not evaluate — and log — the same step twice.
    var evaluatedStep: Int? = nil
    var lossSum = 0.0
    var lossCount = 0
    /// Every dropout stream by its module path.
    var dropoutStreams: [String: FinchRNG] = [:]
    var configuration: TrainingConfiguration
    var trainExamples: Int

    init(configuration: TrainingConfiguration, trainExamples: Int) {
        self.configuration = configuration
        self.trainExamples = trainExamples
    }

    /// The first impossible value, or nil: counters are never negative and
    /// never beyond the run's `totalSteps` and epochs.
    func problem(totalSteps: Int) -> String? {
        if globalStep < 0 || globalStep > totalSteps { return "step \(globalStep) is outside 0…\(totalSteps)" }
        if epoch < 0 || epoch > configuration.epochs { return "epoch \(epoch) is outside 0…\(configuration.epochs)" }
        if batchInEpoch < 0 { return "batch \(batchInEpoch) is negative" }
        if lossCount < 0 || !lossSum.isFinite { return "the running loss (\(lossSum) over \(lossCount) steps) is not valid" }
        if evaluationsWithoutImprovement < 0 { return "evaluations without improvement (\(evaluationsWithoutImprovement)) is negative" }
        if let s = bestStep, s < 0 || s > globalStep { return "best step \(s) is outside 0…\(globalStep)" }
        if let s = evaluatedStep, s < 0 || s > globalStep { return "evaluated step \(s) is outside 0…\(globalStep)" }
        if let m = bestMetric, !m.isFinite { return "the best metric is not a number" }
        return nil
    }
}

/// Reads and writes the resumable checkpoint directory
/// (`model.safetensors`, `optimizer.safetensors`, `trainer_state.json`).
enum CheckpointStore {
    static let model = "model.safetensors", optimizer = "optimizer.safetensors", state = "trainer_state.json"

    /// Writes into a temporary sibling, then swaps it in, so a kill never leaves
    /// a half-written checkpoint.
    static func save(to directory: URL, model: any Module, optimizer: any Optimizer, state: TrainerState) throws {
        try AtomicDirectory.replace(directory) { tmp in
            try Safetensors.write(model.stateDict(), metadata: ["format": "pt"], to: tmp.appendingPathComponent(Self.model))
            try optimizer.exportState().write(to: tmp.appendingPathComponent(Self.optimizer))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(encoder.encode(state), to: tmp.appendingPathComponent(Self.state))
        }
    }

    /// The checkpoint files absent from `directory` (all three when it does not exist).
    static func missingFiles(in directory: URL) -> [String] {
        [model, optimizer, state].filter { !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }

    /// Reads `trainer_state.json` and checks its values.
    ///
    /// - Throws: `TrainingError.invalidTrainerState` naming the file.
    static func readState(from directory: URL, totalSteps: Int) throws -> TrainerState {
        let url = directory.appendingPathComponent(Self.state)
        let state: TrainerState
        do {
            state = try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw TrainingError.invalidTrainerState(file: url.path, reason: Self.explain(error))
        } catch {
            throw TrainingError.invalidTrainerState(file: url.path, reason: "cannot read the file")
        }
        if let problem = state.problem(totalSteps: totalSteps) {
            throw TrainingError.invalidTrainerState(file: url.path, reason: problem)
        }
        return state
    }

    /// Restores model weights and optimizer moments (strictly: every key, every shape).
    static func loadWeights(from directory: URL, model: any Module, optimizer: any Optimizer) throws {
        let weights = try SafetensorsFile(contentsOf: directory.appendingPathComponent(Self.model)).tensors()
        try model.loadStateDict(weights)
        try optimizer.importState(OptimizerState(contentsOf: directory.appendingPathComponent(Self.optimizer)))
    }

    /// A decoding error in a few words, with the JSON path of the bad value.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .dataCorrupted(c): return "not valid JSON (\(path(c.codingPath)))"
        case let .keyNotFound(key, c): return "no field '\(path(c.codingPath + [key]))'"
        case let .typeMismatch(_, c), let .valueNotFound(_, c): return "field '\(path(c.codingPath))' has the wrong type"
        @unknown default: return "not a trainer state"
        }
    }
}

extension Module {
    /// Every dropout module with its path (their streams are part of a run's state).
    func dropoutModules() -> [(String, Dropout)] {
        namedModules().compactMap { entry in (entry.module as? Dropout).map { (entry.name, $0) } }
    }
}
