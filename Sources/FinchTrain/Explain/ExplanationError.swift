/// Explanation requests Finch cannot answer, with what to change.
public enum ExplanationError: Error, Equatable, CustomStringConvertible {
    /// A step count below 1.
    case invalidSteps(Int)
    /// A label the model does not have.
    case unknownLabel(String, known: [String])
    /// The text gives the model no word to attribute to.
    case noWords
    /// The model's forward pass did not reach the word vectors.
    case noGradient
    /// The method does not apply to this kind of model.
    case unsupported(method: String, model: String)

    /// A readable message for the user.
    public var description: String {
        switch self {
        case .invalidSteps(let n): return "steps: \(n) is not a positive number of integration steps"
        case let .unknownLabel(label, known):
            return "label: \(label) is not one of the model's labels (\(known.joined(separator: ", ")))"
        case .noWords: return "text: no word to explain (the text is empty after tokenization)"
        case .noGradient: return "the model's output does not depend on its word embeddings; nothing to attribute"
        case let .unsupported(method, model): return "method: \(method) does not apply to a \(model)"
        }
    }
}
