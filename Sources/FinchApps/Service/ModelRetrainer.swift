import FinchSupport
import Foundation

/// What one guarded retrain did: the version it registered (if any), whether
/// that version became active, and why.
public struct RetrainOutcome: Codable, Sendable, Equatable {
    public var model: String
    /// The version the new model was registered as; nil when none was made (no new data, a failure before training).
    public var newVersion: Int?
    /// The version that was active when the retrain started.
    public var previousVersion: Int?
    /// Whether the new version is active now.
    public var activated: Bool
    /// A sentence a person can read: why it was (not) activated.
    public var reason: String
    /// Held-out figures of the previous version, by metric name.
    public var previousMetrics: [String: Double]
    /// The same figures of the new version.
    public var newMetrics: [String: Double]

    public init(
        model: String, newVersion: Int?, previousVersion: Int?, activated: Bool, reason: String,
        previousMetrics: [String: Double], newMetrics: [String: Double]
    ) {
        self.model = model
        self.newVersion = newVersion
        self.previousVersion = previousVersion
        self.activated = activated
        self.reason = reason
        self.previousMetrics = previousMetrics
        self.newMetrics = newMetrics
    }
}

/// Retrains registered models of some kinds (classifiers from feedback,
/// recommenders from stored events, …). `POST /v1/models/{name}/retrain` and
/// `finch retrain` pick the retrainer whose `kinds` hold the model's kind.
public protocol ModelRetrainer: Sendable {
    var kinds: Set<ModelKind> { get }
    /// Builds, evaluates, registers and (when the guard allows) activates a new
    /// version of `model`; reports progress through `progress`.
    func retrain(model: String, progress: @escaping @Sendable (ProgressEvent) -> Void) async throws -> RetrainOutcome
}

extension ModelRetrainer {
    /// The active version of `name`, checked to be of a kind this retrainer takes.
    /// - Throws: `RetrainError.noActiveVersion`, `.unsupportedKind`.
    func activeVersion(of name: String, in registry: ModelRegistry) async throws -> ModelVersionRecord {
        guard let active = try await registry.versions().last(where: { $0.name == name && $0.active }) else {
            throw RetrainError.noActiveVersion(model: name)
        }
        guard kinds.contains(active.kind) else { throw RetrainError.unsupportedKind(model: name, kind: active.kind) }
        return active
    }
}
