/// Why training could not start, go on, or resume. Messages name the setting
/// (`TrainingSetting`), file or step; they never spell a command-line flag,
/// which is the front end's business.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A setting is out of its valid range; `reason` states the range.
    case invalidConfiguration(setting: TrainingSetting, reason: String)
    /// There is nothing to train on.
    case emptyTrainingSet
    /// The training data holds a single label (or tag), so there is nothing to tell apart.
    case singleLabel(file: String, label: String)
    /// The metric chosen for the best model is not one the task reports.
    case unknownMetric(TrainingMetric, available: [String])
    /// The resumable checkpoint was made with other settings or data.
    case checkpointMismatch(String)
    /// Resuming was asked for and there is no checkpoint in `directory`.
    case noCheckpoint(directory: String)
    /// The checkpoint directory lacks some of its files.
    case incompleteCheckpoint(directory: String, missing: [String])
    /// `trainer_state.json` cannot be used: unreadable, not the expected JSON, or impossible values.
    case invalidTrainerState(file: String, reason: String)
    /// The loss of a batch became NaN or infinite.
    case nonFiniteLoss(step: Int, learningRate: Double)
    /// A parameter became NaN or infinite after an optimizer step.
    case nonFiniteParameter(name: String, step: Int, learningRate: Double)
    /// FGM was asked for but the word embeddings get no gradient (frozen, or the task has none).
    case adversarialWithoutEmbeddingGradient(key: String?)
    /// A development label (or tag) of the automatic hold-out never occurs in
    /// the part left for training.
    case heldOutLabelNotInTraining(file: String, line: Int, label: String, fraction: Double, seed: UInt64)

    /// One line a person can act on.
    public var description: String {
        switch self {
        case let .invalidConfiguration(setting, reason):
            return "invalid \(setting.rawValue): \(reason)"
        case .emptyTrainingSet:
            return "the training set has no examples"
        case let .singleLabel(file, label):
            return "\(file): every example has the label '\(label)'; training needs at least two labels"
        case let .unknownMetric(metric, available):
            return "the metric '\(metric.rawValue)' is not reported by this task; it reports \(available.sorted().joined(separator: ", "))"
        case let .checkpointMismatch(why):
            return "cannot resume: \(why)"
        case let .noCheckpoint(directory):
            return "cannot resume: there is no checkpoint in \(directory)"
        case let .incompleteCheckpoint(directory, missing):
            return "cannot resume: the checkpoint in \(directory) lacks \(missing.joined(separator: ", "))"
        case let .invalidTrainerState(file, reason):
            return "\(file): cannot resume from this trainer state: \(reason)"
        case let .nonFiniteLoss(step, lr):
            return "the loss became NaN or infinite at step \(step) (learning rate \(lr)); the learning rate is likely too high"
                + " or the data holds extreme values; nothing further was saved"
        case let .nonFiniteParameter(name, step, lr):
            return "parameter \(name) became NaN or infinite at step \(step) (learning rate \(lr)); the learning rate is likely"
                + " too high or gradients exploded (clip the gradient norm); nothing further was saved"
        case let .adversarialWithoutEmbeddingGradient(key):
            guard let key else { return "adversarial training needs word embeddings, and this task has none" }
            return "adversarial training perturbs \(key), which does not train (frozen embeddings?);"
                + " unfreeze it or turn adversarial training off"
        case let .heldOutLabelNotInTraining(file, line, label, fraction, seed):
            let percent = String(format: "%g", fraction * 100)
            return "\(file):\(line): label '\(label)' fell only into the automatic \(percent) % hold-out (seed \(seed)),"
                + " so training never sees it; give a separate development file, another seed, or more examples of '\(label)'"
        }
    }
}
