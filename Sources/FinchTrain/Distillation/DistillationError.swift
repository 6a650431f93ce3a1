import Foundation

/// A distillation that cannot run as asked; each case names the setting or the folder.
public enum DistillationError: Error, Equatable, CustomStringConvertible {
    /// The student's layer count is not between 1 and the teacher's (nil: not known yet).
    case invalidLayers(requested: Int, teacherLayers: Int?)
    /// The temperature is not a positive finite number.
    case invalidTemperature(Double)
    /// α is not in [0, 1].
    case invalidAlpha(Double)
    /// The teacher folder holds no fine-tuned sequence classifier.
    case teacherNotAClassifier(path: String, found: String)
    /// The teacher (or the request) is multi-label; only single-label classifiers distil.
    case multiLabel(path: String)

    /// A readable message for the user.
    public var description: String {
        switch self {
        case let .invalidLayers(requested, teacherLayers?):
            return "a student of \(requested) layers: the layer count must be between 1 and the teacher's \(teacherLayers)"
        case .invalidLayers(let requested, nil):
            return "a student of \(requested) layers: it needs at least 1"
        case .invalidTemperature(let t):
            return "temperature \(t): must be a positive number"
        case .invalidAlpha(let a):
            return "alpha \(a): the weight of the teacher's soft labels must be in [0, 1]"
        case let .teacherNotAClassifier(path, found):
            return "\(path): the teacher must be a fine-tuned text classifier (finch train classify) or a sentence-transformers folder,"
                + " found \(found)"
        case .multiLabel(let path):
            return "\(path): a multi-label classifier cannot be distilled yet (the soft labels are one softmax per example)"
        }
    }
}
