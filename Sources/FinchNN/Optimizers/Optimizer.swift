import FinchTensor

/// Updates named parameters from their accumulated gradients.
///
/// An optimizer holds the parameters it was given (the same `Parameter`
/// objects the model holds) and writes new values into their storage in place,
/// so the model sees every step. Parameters without a gradient (frozen, or
/// unused in the last forward pass) are skipped and their state is left
/// untouched, as PyTorch does.
///
/// A training step reads:
/// ```swift
/// optimizer.zeroGrad()
/// let loss = model(x).mseLoss(y)
/// loss.backward()
/// clipGradNorm(optimizer.parameters, maxNorm: 1)
/// optimizer.learningRate = schedule.learningRate(atStep: step, base: baseLR)
/// optimizer.step()
/// ```
public protocol Optimizer: AnyObject {
    /// The parameters updated, by Hugging Face key, in the order given.
    var parameters: [(name: String, parameter: Parameter)] { get }
    /// Learning rate of the next `step()`; a schedule sets it before each step.
    var learningRate: Double { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
    /// A copy of the per-parameter state (moment estimates, step counts) for
    /// an exact resume.
    func exportState() -> OptimizerState
    /// Replaces the per-parameter state with `state` (copied). Fails, changing
    /// nothing, when `state` belongs to another optimizer kind or its names or
    /// shapes do not fit these parameters.
    func importState(_ state: OptimizerState) throws
}

extension Optimizer {
    /// Drops every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for entry in parameters { entry.parameter.zeroGrad() }
    }
}

/// Optimizer state keyed by parameter name: what PyTorch's
/// `optimizer.state_dict()["state"]` holds, with names instead of indices.
///
/// `tensors` keys are `<parameter>.<buffer>` with the PyTorch buffer names
/// (`exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, `momentum_buffer`); `steps`
/// counts the updates each parameter has received. Parameters that never had
/// a gradient have no entries.
public struct OptimizerState: Sendable {
    /// The optimizer that produced the state (`AdamW`, `SGD`).
    public var kind: String
    /// Updates applied per parameter name.
    public var steps: [String: Int]
    /// Buffers by `<parameter>.<buffer>`.
    public var tensors: [String: Tensor]

    /// Wraps the parts.
    public init(kind: String, steps: [String: Int], tensors: [String: Tensor]) {
        self.kind = kind
        self.steps = steps
        self.tensors = tensors
    }
}

/// Why an optimizer could not be built or its state not imported.
public enum OptimizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A hyperparameter outside its valid range (PyTorch raises the same).
    case invalidHyperparameter(name: String, value: Double, requirement: String)
    /// Nesterov momentum needs a positive momentum and zero dampening.
    case invalidNesterov(momentum: Double, dampening: Double)
    /// Two parameters share a name.
    case duplicateParameter(name: String)
    /// The state was exported by another kind of optimizer.
    case stateKindMismatch(expected: String, found: String)
    /// State names that fit no parameter, parameters with a step count but a
    /// missing buffer, and buffers whose shape differs ("name: state [a] vs parameter [b]").
    case stateMismatch(missing: [String], unexpected: [String], misshapen: [String])
    /// A saved optimizer state file is not one Finch wrote (`reason` says why).
    case invalidStateFile(file: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidHyperparameter(name, value, requirement):
            return "invalid optimizer setting \(name) = \(value): must be \(requirement)"
        case let .invalidNesterov(momentum, dampening):
            return "Nesterov momentum needs momentum > 0 and dampening = 0 (got momentum \(momentum), dampening \(dampening))"
        case let .duplicateParameter(name):
            return "parameter '\(name)' is given to the optimizer twice"
        case let .stateKindMismatch(expected, found):
            return "optimizer state was saved by \(found), cannot load it into \(expected)"
        case let .stateMismatch(missing, unexpected, misshapen):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing: \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected: \(unexpected.joined(separator: ", "))") }
            if !misshapen.isEmpty { parts.append("shape mismatch: \(misshapen.joined(separator: "; "))") }
            return "optimizer state does not match the parameters: " + parts.joined(separator: "; ")
        case let .invalidStateFile(file, reason):
            return "optimizer state file \(file): \(reason)"
        }
    }
}

/// Checks shared by the optimizers.
enum OptimizerValidation {
    /// Throws unless `value` ≥ 0.
    static func nonNegative(_ name: String, _ value: Double) throws {
        guard value >= 0 else { throw OptimizerError.invalidHyperparameter(name: name, value: value, requirement: "≥ 0") }
    }

    /// Throws unless 0 ≤ `value` < 1.
    static func unitInterval(_ name: String, _ value: Double) throws {
        guard value >= 0, value < 1 else {
            throw OptimizerError.invalidHyperparameter(name: name, value: value, requirement: "in [0, 1)")
        }
    }

    /// Throws when two parameters share a name (state is keyed by name).
    static func uniqueNames(_ parameters: [(name: String, parameter: Parameter)]) throws {
        var seen = Set<String>()
        for entry in parameters where !seen.insert(entry.name).inserted {
            throw OptimizerError.duplicateParameter(name: entry.name)
        }
    }

    /// Buffers of `state` for `parameters` as fresh storage, checked strictly:
    /// each parameter with a step count must have every buffer in
    /// `required(name)`, shaped like the parameter; nothing may be left over.
    static func buffers(
        from state: OptimizerState, kind: String, parameters: [(name: String, parameter: Parameter)],
        required: (String) -> [String]
    ) throws -> [String: TensorStorage] {
        guard state.kind == kind else { throw OptimizerError.stateKindMismatch(expected: kind, found: state.kind) }
        var missing: [String] = [], misshapen: [String] = []
        var seenSteps = Set<String>(), seenTensors = Set<String>()
        var out: [String: TensorStorage] = [:]
        for (name, parameter) in parameters {
            guard let steps = state.steps[name] else { continue }
            seenSteps.insert(name)
            if steps < 0 { misshapen.append("\(name): negative step count \(steps)") }
            for buffer in required(name) {
                let key = name + "." + buffer
                guard let tensor = state.tensors[key] else {
                    missing.append(key)
                    continue
                }
                seenTensors.insert(key)
                if tensor.shape != parameter.shape {
                    misshapen.append("\(key): state \(tensor.shape) vs parameter \(parameter.shape)")
                } else {
                    out[key] = tensor.copy().storage
                }
            }
        }
        let unexpected =
            (state.steps.keys.filter { !seenSteps.contains($0) }.map { "step count of \($0)" }
            + state.tensors.keys.filter { !seenTensors.contains($0) }).sorted()
        guard missing.isEmpty, misshapen.isEmpty, unexpected.isEmpty else {
            throw OptimizerError.stateMismatch(missing: missing, unexpected: unexpected, misshapen: misshapen)
        }
        return out
    }
}
