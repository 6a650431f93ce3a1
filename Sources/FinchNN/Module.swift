import FinchTensor

/// A trainable tensor with identity. Layers hold `Parameter`s; optimizers,
/// loaders and freezing update them in place, so every holder sees the change.
public final class Parameter: @unchecked Sendable {
    /// The current value: a leaf that accumulates a gradient unless frozen.
    public private(set) var value: Tensor

    /// False when frozen: the value no longer records gradients.
    public var isTrainable: Bool {
        didSet { value = value.requiringGrad(isTrainable) }
    }

    /// Wraps `tensor` as a trainable leaf (a frozen one when `trainable` is false).
    public init(_ tensor: Tensor, trainable: Bool = true) {
        self.isTrainable = trainable
        self.value = tensor.requiringGrad(trainable)
    }

    /// Shape of the value.
    public var shape: [Int] { value.shape }

    /// Accumulated gradient after `backward()`, if any.
    public var grad: Tensor? { value.grad }

    /// Drops the accumulated gradient.
    public func zeroGrad() { value.zeroGrad() }

    /// Replaces the value (same shape), keeping trainability; drops the gradient.
    public func assign(_ tensor: Tensor) {
        precondition(tensor.shape == value.shape, "assign: shape \(tensor.shape) for parameter of shape \(value.shape)")
        value = tensor.copy().requiringGrad(isTrainable)
    }
}

/// A neural-network building block. A module names its own parameters and
/// child modules by their Hugging Face keys (`query`, `weight`, `layer.3`), so
/// the dotted path of every parameter equals its checkpoint key.
public protocol Module: AnyObject {
    /// Own parameters by local name (for example `weight`, `bias`).
    var ownParameters: [(name: String, parameter: Parameter)] { get }
    /// Child modules by local name (for example `attention`, `layer.0`).
    var children: [(name: String, module: any Module)] { get }
    /// Own buffers by local name: state that is saved and loaded with the
    /// parameters but never trained (BatchNorm's `running_mean`), as PyTorch's
    /// registered buffers. Held as frozen `Parameter`s; empty by default.
    var ownBuffers: [(name: String, parameter: Parameter)] { get }
    /// Training mode turns dropout on; set for the whole tree by `train(_:)`.
    var isTraining: Bool { get set }
}

extension Module {
    public var ownParameters: [(name: String, parameter: Parameter)] { [] }
    public var children: [(name: String, module: any Module)] { [] }
    public var ownBuffers: [(name: String, parameter: Parameter)] { [] }

    /// Every buffer under this module, keyed by dotted path, in definition order.
    public func namedBuffers(prefix: String = "") -> [(name: String, parameter: Parameter)] {
        var out: [(name: String, parameter: Parameter)] = ownBuffers.map { (prefix + $0.name, $0.parameter) }
        for child in children {
            out += child.module.namedBuffers(prefix: prefix + child.name + ".")
        }
        return out
    }

    /// Every parameter under this module, keyed by dotted path, in definition order.
    public func namedParameters(prefix: String = "") -> [(name: String, parameter: Parameter)] {
        var out: [(name: String, parameter: Parameter)] = ownParameters.map { (prefix + $0.name, $0.parameter) }
        for child in children {
            out += child.module.namedParameters(prefix: prefix + child.name + ".")
        }
        return out
    }

    /// Parameters that currently train.
    public func trainableParameters() -> [(name: String, parameter: Parameter)] {
        namedParameters().filter { $0.parameter.isTrainable }
    }

    /// Sets training mode on this module and every descendant.
    public func train(_ on: Bool = true) {
        isTraining = on
        for child in children { child.module.train(on) }
    }

    /// Evaluation mode (dropout off).
    public func eval() { train(false) }

    /// Freezes (or unfreezes) every parameter whose key starts with one of `prefixes`;
    /// an empty list means all.
    public func freeze(_ prefixes: [String] = [], frozen: Bool = true) {
        for (name, p) in namedParameters() where prefixes.isEmpty || prefixes.contains(where: { name.hasPrefix($0) }) {
            p.isTrainable = !frozen
        }
    }

    /// Drops every accumulated gradient.
    public func zeroGrad() { for (_, p) in namedParameters() { p.zeroGrad() } }

    /// Number of scalar parameters.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.parameter.value.count } }
}
