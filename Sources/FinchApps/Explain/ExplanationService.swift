import Dispatch
import FinchTrain
import Foundation
import Synchronization

/// Explanations of the served classifiers and taggers (no HTTP): the active
/// version of a model is loaded a second time, frozen, for attribution
/// (explaining needs the differentiable forward pass, which the batched
/// inference path does not keep), and kept until another version becomes
/// active. Explanations run one at a time on their own thread, so an
/// expensive one never occupies the server's request threads and several
/// never starve the batchers of cores.
public final class ExplanationService: Sendable {
    private let registry: ModelRegistry
    /// The largest step count a request may ask for.
    public let maxSteps: Int
    /// The explainer of each model name, with the version it was built for.
    private let explainers = Mutex<[String: (version: Int, explainer: TextExplainer)]>([:])
    private let queue = DispatchQueue(label: "finch.explanations")

    /// Explains the registry's active models; `maxSteps` bounds a request's `steps`.
    public init(registry: ModelRegistry, maxSteps: Int = 256) {
        self.registry = registry
        self.maxSteps = maxSteps
    }

    /// Explanations of `text` (and `pair`) by the active version of model `name`:
    /// one for a classifier, one per found entity for a tagger.
    public func explain(model name: String, text: String, pair: String?, options: ExplanationOptions) async throws -> (
        model: ServedModel, explanations: [Explanation]
    ) {
        let model = try registry.model(named: name)
        guard model.kind == .classifier || model.kind == .tagger else {
            throw RegistryError.wrongKind(name: model.name, kind: model.kind, expected: "a classifier or a tagger")
        }
        if options.method == .ig, options.steps > maxSteps {
            throw ExplanationServiceError.tooManySteps(options.steps, maximum: maxSteps)
        }
        let explanations = try await withCheckedThrowingContinuation { (done: CheckedContinuation<[Explanation], any Error>) in
            queue.async {
                done.resume(with: Result { try self.explainer(for: model).explain(text, pair: pair, options: options) })
            }
        }
        return (model, explanations)
    }

    /// The cached explainer of `model`'s version, loaded from its folder when missing or stale.
    private func explainer(for model: ServedModel) throws -> TextExplainer {
        if let cached = explainers.withLock({ $0[model.name] }), cached.version == model.version { return cached.explainer }
        let loaded = try TextExplainer(directory: URL(fileURLWithPath: model.record.path))
        explainers.withLock { $0[model.name] = (model.version, loaded) }
        return loaded
    }
}

/// Explanation requests the service refuses.
public enum ExplanationServiceError: Error, Equatable, CustomStringConvertible {
    /// More integration steps than the service allows.
    case tooManySteps(Int, maximum: Int)

    /// A readable message for the user.
    public var description: String {
        switch self {
        case let .tooManySteps(steps, maximum): "steps: \(steps) is more than this service's limit of \(maximum)"
        }
    }
}
