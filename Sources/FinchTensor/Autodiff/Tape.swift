/// Whether ops record backward steps. On by default; inference turns it off.
public enum GradMode {
    /// True while recording is on for the current task or thread.
    @TaskLocal public static var isEnabled: Bool = true
}

/// Runs `body` with recording off: no op inside it records a backward step.
public func withoutGradient<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false) { try body() }
}

/// A vertex of the autodiff graph. A leaf (a tensor made to require a gradient)
/// accumulates `grad`; an interior node holds the backward step of the op that
/// produced its tensor and the nodes of that op's inputs.
public final class AutogradNode: @unchecked Sendable {
    /// Accumulated gradient of a leaf. Interior nodes keep none.
    public var grad: Tensor?
    /// Nodes of the op's inputs (nil where an input needs no gradient).
    var inputs: [AutogradNode?]
    /// Maps the gradient of the output to gradients of the inputs.
    var backwardStep: ((Tensor) -> [Tensor?])?
    /// Name of the op, for error messages and debugging.
    public let op: String
    /// True for leaves.
    public let isLeaf: Bool

    init(leaf: ()) {
        inputs = []
        backwardStep = nil
        op = "leaf"
        isLeaf = true
    }

    init(op: String, inputs: [AutogradNode?], backward: @escaping (Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.backwardStep = backward
        self.op = op
        self.isLeaf = false
    }
}

extension Tensor {
    /// True when gradients flow to this tensor.
    public var requiresGrad: Bool { node != nil }

    /// The accumulated gradient of a leaf after `backward()`.
    public var grad: Tensor? { node?.grad }

    /// This tensor as a leaf that accumulates a gradient. Shares storage.
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        var t = Tensor(shape: shape, storage: storage)
        if flag { t.node = AutogradNode(leaf: ()) }
        return t
    }

    /// The same values cut from the graph. Shares storage.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// Clears a leaf's accumulated gradient.
    public func zeroGrad() { node?.grad = nil }

    /// Records `backward` for `self` (an op's fresh output) when recording is on
    /// and some input requires a gradient. `backward` returns one gradient per
    /// input, in order, shaped like that input (nil for "no gradient").
    public func recorded(_ op: String, _ inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.node != nil }) else { return self }
        var out = self
        out.node = AutogradNode(op: op, inputs: inputs.map { $0.node }, backward: backward)
        return out
    }

    /// Reverse-mode differentiation from this tensor. `gradient` defaults to
    /// ones (so a scalar loss needs none). Leaves accumulate into `grad`; the
    /// graph is released as it is walked, so a second call on the same graph
    /// does nothing.
    public func backward(_ gradient: Tensor? = nil) {
        guard let root = node else { return }
        let seed = gradient ?? Tensor.ones(shape)
        precondition(seed.shape == shape, "backward gradient shape \(seed.shape) for tensor \(shape)")
        // Topological order by iterative depth-first search.
        var order: [AutogradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(AutogradNode, Bool)] = [(root, false)]
        while let (n, expanded) = stack.popLast() {
            if expanded {
                order.append(n)
                continue
            }
            if !visited.insert(ObjectIdentifier(n)).inserted { continue }
            stack.append((n, true))
            for case let input? in n.inputs where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed.detached()]
        withoutGradient {
            for n in order.reversed() {
                let id = ObjectIdentifier(n)
                guard let g = grads.removeValue(forKey: id) else { continue }
                if n.isLeaf {
                    n.grad = n.grad.map { $0 + g } ?? g
                    continue
                }
                guard let step = n.backwardStep else { continue }
                let inputGrads = step(g)
                for (input, ig) in zip(n.inputs, inputGrads) {
                    guard let input, let ig else { continue }
                    let key = ObjectIdentifier(input)
                    if let existing = grads[key] { grads[key] = existing + ig } else { grads[key] = ig }
                }
                n.backwardStep = nil
                n.inputs = []
            }
        }
    }
}
