import Foundation

/// Everything `finch distill` asks for. The data, output, optimizer and
/// evaluation settings are a `FineTuningRequest` whose model is the teacher,
/// so a distillation run trains, evaluates, checkpoints and resumes exactly
/// as `finch train classify` does.
public struct DistillationRequest: Sendable {
    /// Teacher folder (`modelDirectory`), data, output folder and training settings.
    public var fineTuning: FineTuningRequest
    /// The student's layer count; nil: half the teacher's, rounded up.
    public var layers: Int?
    /// The softmax temperature of the soft labels (DistilBERT: 2).
    public var temperature = 2.0
    /// The weight of the soft-label term; 1 − α weighs the true labels.
    public var alpha = 0.5

    /// The fine-tuned classifier to distil.
    public var teacherDirectory: URL { fineTuning.modelDirectory }

    /// A request with the defaults for everything but the three places.
    public init(teacherDirectory: URL, trainFile: URL, outputDirectory: URL) {
        fineTuning = FineTuningRequest(modelDirectory: teacherDirectory, trainFile: trainFile, outputDirectory: outputDirectory)
        fineTuning.training.learningRate = 5e-5
    }

    /// Checks the distillation settings (the layer count against the teacher comes later).
    ///
    /// - Throws: `DistillationError` naming the setting.
    public func validateSettings() throws {
        if let layers, layers < 1 { throw DistillationError.invalidLayers(requested: layers, teacherLayers: nil) }
        guard temperature > 0 && temperature.isFinite else { throw DistillationError.invalidTemperature(temperature) }
        guard alpha >= 0 && alpha <= 1 else { throw DistillationError.invalidAlpha(alpha) }
        if fineTuning.multiLabel { throw DistillationError.multiLabel(path: teacherDirectory.path) }
    }
}
