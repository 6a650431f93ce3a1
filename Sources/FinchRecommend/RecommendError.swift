/// Errors from training, querying, saving and loading recommenders. Each case
/// names what was wrong (the algorithm, hyperparameter, id or file).
public enum RecommendError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An algorithm name that Finch does not know.
    case unknownAlgorithm(String, known: [String])
    /// A hyperparameter the algorithm does not have.
    case unknownHyperparameter(algorithm: String, name: String, known: [String])
    /// A hyperparameter value that does not parse or is out of range.
    case invalidHyperparameter(algorithm: String, name: String, value: String, reason: String)
    /// A user id the model has never seen (fold the user in first).
    case unknownUser(String)
    /// An item id the model has never seen.
    case unknownItem(String)
    /// The same id twice in an id list.
    case duplicateIdentifier(String)
    /// The training set has no ratings.
    case emptyTrainingSet
    /// An operation this algorithm does not support.
    case unsupported(algorithm: String, operation: String)
    /// The catalogue is larger than the algorithm's dense limit.
    case tooManyItems(algorithm: String, itemCount: Int, limit: Int)
    /// A model directory that cannot be read or written.
    case modelFile(path: String, reason: String)
    /// A model file whose content is inconsistent.
    case corruptModel(reason: String)
    /// A split or evaluation that cannot be made from this data.
    case invalidSplit(reason: String)
    /// A cold-start item id that already has ratings.
    case itemAlreadyRated(String)
    /// Training produced NaN or infinite values in `array` at `epoch` (1-based);
    /// nothing was saved.
    case diverged(algorithm: String, epoch: Int, array: String, likelyCause: String)
    /// A rating to fold in lies outside the model's rating scale.
    case ratingOutsideScale(user: String, item: String, rating: Float, scale: RatingScale)
    /// An option value that does not parse.
    case invalidOption(name: String, value: String, reason: String)
    /// A content feature vector of the wrong length.
    case featureDimensionMismatch(item: String, expected: Int, actual: Int)
    /// An event type the deployment does not configure.
    case unknownEventType(String, known: [String])
    /// An event that cannot be recorded (a value that is not finite).
    case invalidEvent(user: String, item: String, reason: String)

    /// A readable, one-line message.
    public var description: String {
        switch self {
        case .unknownAlgorithm(let name, let known):
            return "unknown algorithm '\(name)'; known: \(known.joined(separator: ", "))"
        case .unknownHyperparameter(let algorithm, let name, let known):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "algorithm '\(algorithm)' has no hyperparameter '\(name)'; it has: \(list)"
        case .invalidHyperparameter(let algorithm, let name, let value, let reason):
            return "\(algorithm): invalid value '\(value)' for '\(name)': \(reason)"
        case .unknownUser(let id):
            return "unknown user '\(id)': the model has no ratings from this user (fold the user in first)"
        case .unknownItem(let id):
            return "unknown item '\(id)': the model has no ratings for this item"
        case .duplicateIdentifier(let id):
            return "identifier '\(id)' appears twice"
        case .emptyTrainingSet:
            return "the training set has no ratings"
        case .unsupported(let algorithm, let operation):
            return "algorithm '\(algorithm)' does not support \(operation)"
        case .tooManyItems(let algorithm, let itemCount, let limit):
            return "\(algorithm): \(itemCount) items exceed the limit of \(limit) for a dense similarity matrix"
        case .modelFile(let path, let reason):
            return "model \(path): \(reason)"
        case .corruptModel(let reason):
            return "corrupt model: \(reason)"
        case .invalidSplit(let reason):
            return "cannot split the data: \(reason)"
        case .itemAlreadyRated(let id):
            return "item '\(id)' already has ratings; fold its ratings in instead of adding it from content"
        case .diverged(let algorithm, let epoch, let array, let cause):
            return
                "\(algorithm) training diverged at epoch \(epoch): '\(array)' became NaN or infinite; likely cause: \(cause). Nothing was saved"
        case .ratingOutsideScale(let user, let item, let rating, let scale):
            return "rating \(rating) of user '\(user)' for item '\(item)' is outside the model's rating scale \(scale)"
        case .invalidOption(let name, let value, let reason):
            return "invalid \(name) '\(value)': \(reason)"
        case .featureDimensionMismatch(let item, let expected, let actual):
            return "item '\(item)': feature vector has \(actual) values, expected \(expected)"
        case .unknownEventType(let type, let known):
            return "unknown event type '\(type)'; configured types: \(known.joined(separator: ", "))"
        case .invalidEvent(let user, let item, let reason):
            return "event of user '\(user)' on item '\(item)': \(reason)"
        }
    }
}
