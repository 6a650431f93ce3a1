import FinchTensor

/// Stochastic gradient descent with momentum, identical to `torch.optim.SGD`.
///
/// For each parameter p with gradient g:
/// ```
/// d ← g + λ·p                               (L2 weight decay; skipped when λ = 0)
/// b ← d at the first update, else μ·b + (1 − τ)·d    (momentum μ > 0; τ = dampening)
/// d ← d + μ·b if nesterov, else b           (momentum μ > 0)
/// p ← p − lr·d
/// ```
public final class SGD: Optimizer {
    /// Hyperparameters; the defaults are PyTorch's (pinned by a test).
    public struct Configuration: Codable, Equatable, Sendable {
        /// Base learning rate (torch `lr`, default 1e-3).
        public var learningRate: Double = 1e-3
        /// Momentum factor μ (default 0: plain SGD).
        public var momentum: Double = 0
        /// Dampening τ of the momentum (default 0).
        public var dampening: Double = 0
        /// L2 penalty λ added to the gradient (default 0).
        public var weightDecay: Double = 0
        /// Nesterov momentum (default false; needs μ > 0 and τ = 0).
        public var nesterov: Bool = false

        /// The given settings; omitted ones take PyTorch's defaults.
        public init(
            learningRate: Double = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
            nesterov: Bool = false
        ) {
            self.learningRate = learningRate
            self.momentum = momentum
            self.dampening = dampening
            self.weightDecay = weightDecay
            self.nesterov = nesterov
        }
    }

    /// Name used in exported state.
    public static let kind = "SGD"

    public let parameters: [(name: String, parameter: Parameter)]
    /// The hyperparameters given at creation.
    public let configuration: Configuration
    public var learningRate: Double
    /// Weight decay per parameter: the configured λ, or 0 for names in `noWeightDecay`.
    public let weightDecays: [Double]
    /// Updates applied per parameter.
    private var steps: [Int]
    /// Momentum buffers, created at a parameter's first update when μ > 0.
    private var buffers: [TensorStorage?]

    /// An optimizer over `parameters`; names in `noWeightDecay` get λ = 0.
    /// Throws `OptimizerError` for the settings PyTorch rejects and for
    /// duplicate names.
    public init(
        parameters: [(name: String, parameter: Parameter)], configuration: Configuration = Configuration(),
        noWeightDecay: Set<String> = []
    ) throws {
        try OptimizerValidation.nonNegative("learningRate", configuration.learningRate)
        try OptimizerValidation.nonNegative("momentum", configuration.momentum)
        try OptimizerValidation.nonNegative("weightDecay", configuration.weightDecay)
        if configuration.nesterov && (configuration.momentum <= 0 || configuration.dampening != 0) {
            throw OptimizerError.invalidNesterov(momentum: configuration.momentum, dampening: configuration.dampening)
        }
        try OptimizerValidation.uniqueNames(parameters)
        self.parameters = parameters
        self.configuration = configuration
        self.learningRate = configuration.learningRate
        self.weightDecays = parameters.map { noWeightDecay.contains($0.name) ? 0 : configuration.weightDecay }
        self.steps = Array(repeating: 0, count: parameters.count)
        self.buffers = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        let momentum = Float(configuration.momentum)
        let keep = Float(1 - configuration.dampening)
        let nesterov = configuration.nesterov
        let negativeLR = Float(-learningRate)
        for (index, entry) in parameters.enumerated() {
            guard let grad = entry.parameter.grad else { continue }
            let value = entry.parameter.value
            precondition(grad.shape == value.shape, "gradient \(grad.shape) for parameter \(entry.name) \(value.shape)")
            // PyTorch skips the decay term when λ = 0 (0·p would turn an infinite p into NaN).
            let decay = Float(weightDecays[index]), decays = weightDecays[index] != 0
            let p = value.storage.pointer, g = grad.storage.pointer
            steps[index] += 1
            guard configuration.momentum != 0 else {
                Parallel.forRanges(value.count, cost: 4) { range in
                    for i in range { p[i] = p[i] + negativeLR * (decays ? g[i] + decay * p[i] : g[i]) }
                }
                continue
            }
            let first = buffers[index] == nil
            let buffer = buffers[index] ?? TensorStorage(uninitializedCount: value.count)
            buffers[index] = buffer
            let b = buffer.pointer
            Parallel.forRanges(value.count, cost: 8) { range in
                for i in range {
                    let d = decays ? g[i] + decay * p[i] : g[i]
                    let bi = first ? d : b[i] * momentum + keep * d
                    b[i] = bi
                    p[i] = p[i] + negativeLR * (nesterov ? d + momentum * bi : bi)
                }
            }
        }
    }

    public func exportState() -> OptimizerState {
        var steps: [String: Int] = [:]
        var tensors: [String: Tensor] = [:]
        for (index, entry) in parameters.enumerated() where self.steps[index] > 0 {
            steps[entry.name] = self.steps[index]
            if let buffer = buffers[index] {
                tensors[entry.name + ".momentum_buffer"] = Tensor(shape: entry.parameter.shape, storage: buffer).copy()
            }
        }
        return OptimizerState(kind: Self.kind, steps: steps, tensors: tensors)
    }

    public func importState(_ state: OptimizerState) throws {
        let required = configuration.momentum != 0 ? ["momentum_buffer"] : []
        let loaded = try OptimizerValidation.buffers(from: state, kind: Self.kind, parameters: parameters) { _ in required }
        steps = parameters.map { state.steps[$0.name] ?? 0 }
        buffers = parameters.map { loaded[$0.name + ".momentum_buffer"] }
    }
}
