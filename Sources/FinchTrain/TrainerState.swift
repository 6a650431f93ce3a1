import FinchNN
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
    var lossSum = 0.0
    var lossCount = 0
    /// Every dropout stream by its module path.
    var dropoutStreams: [String: FinchRNG] = [:]
    var configuration: TrainingConfiguration
    var trainExamples: Int
}

/// Reads and writes the resumable checkpoint directory
/// (`model.safetensors`, `optimizer.safetensors`, `trainer_state.json`).
enum CheckpointStore {
    static let model = "model.safetensors", optimizer = "optimizer.safetensors", state = "trainer_state.json"

    /// Writes into a temporary sibling, then swaps it in, so a kill never leaves
    /// a half-written checkpoint.
    static func save(to directory: URL, model: any Module, optimizer: any Optimizer, state: TrainerState) throws {
        let fm = FileManager.default
        let tmp = directory.deletingLastPathComponent().appendingPathComponent(directory.lastPathComponent + ".tmp")
        if fm.fileExists(atPath: tmp.path) { try fm.removeItem(at: tmp) }
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        try Safetensors.write(model.stateDict(), metadata: ["format": "pt"], to: tmp.appendingPathComponent(Self.model))
        try optimizer.exportState().write(to: tmp.appendingPathComponent(Self.optimizer))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: tmp.appendingPathComponent(Self.state), options: .atomic)
        let old = directory.deletingLastPathComponent().appendingPathComponent(directory.lastPathComponent + ".old")
        if fm.fileExists(atPath: old.path) { try fm.removeItem(at: old) }
        if fm.fileExists(atPath: directory.path) { try fm.moveItem(at: directory, to: old) }
        try fm.moveItem(at: tmp, to: directory)
        if fm.fileExists(atPath: old.path) { try fm.removeItem(at: old) }
    }

    /// True when `directory` holds a complete checkpoint.
    static func exists(at directory: URL) -> Bool {
        [model, optimizer, state].allSatisfy { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }

    /// Restores model weights and optimizer moments; returns the trainer state.
    static func load(from directory: URL, model: any Module, optimizer: any Optimizer) throws -> TrainerState {
        let state = try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: directory.appendingPathComponent(Self.state)))
        let weights = try SafetensorsFile(contentsOf: directory.appendingPathComponent(Self.model)).tensors()
        try model.loadStateDict(weights)
        try optimizer.importState(OptimizerState(contentsOf: directory.appendingPathComponent(Self.optimizer)))
        return state
    }
}

extension Module {
    /// Every dropout module with its path (their streams are part of a run's state).
    func dropoutModules() -> [(String, Dropout)] {
        namedModules().compactMap { entry in (entry.module as? Dropout).map { (entry.name, $0) } }
    }
}
