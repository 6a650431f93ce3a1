/// Feedback that cannot be accepted; `field` names the request field at fault.
public enum FeedbackError: Error, Equatable, CustomStringConvertible {
    /// A value that is missing, malformed or out of range.
    case invalid(field: String, reason: String)
    /// The label is not one of the classifier's labels.
    case unknownLabel(model: String, label: String, known: [String])

    public var field: String {
        switch self {
        case .invalid(let field, _): field
        case .unknownLabel: "label"
        }
    }

    public var description: String {
        switch self {
        case .invalid(_, let reason): reason
        case .unknownLabel(let model, let label, let known):
            "label \"\(label)\" is not a label of model \"\(model)\" (\(known.joined(separator: ", ")))"
        }
    }
}
