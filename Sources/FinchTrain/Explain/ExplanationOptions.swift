/// What `TextExplainer` computes.
public struct ExplanationOptions: Sendable, Equatable {
    /// What a classifier explanation attributes.
    public enum ClassifierOutput: String, Codable, Sendable, CaseIterable {
        /// The class probability (softmax; sigmoid for multi-label models).
        case probability
        /// The class logit.
        case logit
    }

    /// Integrated gradients (default) or occlusion.
    public var method: ExplanationMethod
    /// Integrated gradients: quadrature points (default 50).
    public var steps: Int
    /// Integrated gradients: the baseline (default `.pad`).
    public var baseline: AttributionBaseline
    /// Integrated gradients: points per pass (nil: all in one); occlusion: copies per pass (nil: 32).
    public var internalBatchSize: Int?
    /// Classifiers: the class to explain; nil explains the predicted one.
    public var label: String?
    /// Classifiers: probability (default) or logit.
    public var classifierOutput: ClassifierOutput
    /// Occlusion: what replaces a word's tokens (default the mask token).
    public var occluder: OcclusionToken

    /// The defaults: integrated gradients, 50 steps, pad baseline, the predicted class's probability.
    public init(
        method: ExplanationMethod = .ig, steps: Int = 50, baseline: AttributionBaseline = .pad, internalBatchSize: Int? = nil,
        label: String? = nil, classifierOutput: ClassifierOutput = .probability, occluder: OcclusionToken = .mask
    ) {
        self.method = method
        self.steps = steps
        self.baseline = baseline
        self.internalBatchSize = internalBatchSize
        self.label = label
        self.classifierOutput = classifierOutput
        self.occluder = occluder
    }
}
