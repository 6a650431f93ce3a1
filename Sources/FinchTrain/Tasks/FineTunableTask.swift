import FinchNN

/// What `FineTuning`'s shared flow needs of a task beyond training: how raw
/// examples are encoded, how class weights apply, and its LoRA state.
protocol FineTunableTask: TrainingTask {
    /// An example as read from a data file.
    associatedtype Raw: Sendable
    /// Encodes raw examples; a label the task does not know throws
    /// `DataError.unknownLabel` naming `file`.
    func encode(_ raw: [Raw], file: String) throws -> [Example]
    /// Sets the loss weights per label.
    func weightClasses(_ weighting: ClassWeighting, trainingExamples: [Example]) throws
    /// The LoRA settings when adapters are attached.
    var loraConfiguration: LoRAConfiguration? { get set }
}
