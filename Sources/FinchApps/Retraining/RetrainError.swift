/// Why a retrain could not run.
public enum RetrainError: Error, Equatable, CustomStringConvertible {
    /// No version of the model is active.
    case noActiveVersion(model: String)
    /// No retrainer handles this kind of model.
    case unsupportedKind(model: String, kind: ModelKind)
    /// The model cannot be retrained from single-label feedback (a multi-label classifier, say).
    case unsupportedModel(model: String, reason: String)
    /// A retrain of this model is already running (`job` is its id).
    case alreadyRunning(model: String, job: String)

    public var description: String {
        switch self {
        case .noActiveVersion(let model): "model \"\(model)\" has no active version to retrain"
        case .unsupportedKind(let model, let kind): "model \"\(model)\" is a \(kind.rawValue); no retrainer handles that kind"
        case .unsupportedModel(let model, let reason): "model \"\(model)\" cannot be retrained: \(reason)"
        case .alreadyRunning(let model, let job): "a retrain of model \"\(model)\" is already running (job \(job))"
        }
    }
}
