import FinchTensor

/// The scalar F an attribution explains, read from a row of logits.
public enum AttributionTarget: Sendable, Equatable {
    /// A sequence classifier's probability of class `label`: softmax over the
    /// classes, or the class's own sigmoid when `multiLabel`.
    case probability(label: Int, multiLabel: Bool)
    /// A sequence classifier's logit of class `label`.
    case logit(label: Int)
    /// A tagger's entity: the sum of the logits at `(position, label)` pairs
    /// (Finch puts there each entity word's first piece and its predicted tag).
    case tokenLogits([TokenLabel])

    /// One (token position, label) term of `.tokenLogits`.
    public struct TokenLabel: Sendable, Equatable {
        /// Token position in the sequence.
        public var position: Int
        /// Label id whose logit counts.
        public var label: Int

        /// A term at `position` for `label`.
        public init(position: Int, label: Int) {
            self.position = position
            self.label = label
        }
    }

    /// The tensor to differentiate and the gradient to seed `backward` with,
    /// so that seeding computes ∂(Σ_rows F)/∂(anything upstream). `logits` is
    /// [B, labels] for the class targets, [B, S, labels] for `.tokenLogits`.
    func output(of logits: Tensor) -> (output: Tensor, seed: Tensor) {
        switch self {
        case let .probability(label, multiLabel):
            let p = multiLabel ? logits.sigmoid() : logits.softmax(axis: -1)
            return (p, Self.oneHot(shape: logits.shape, label: label))
        case .logit(let label):
            return (logits, Self.oneHot(shape: logits.shape, label: label))
        case .tokenLogits(let terms):
            return (logits, Self.tokenSeed(shape: logits.shape, terms: terms))
        }
    }

    /// F of every row of `logits`, computed without recording.
    func values(of logits: Tensor) -> [Double] {
        withoutGradient {
            let (out, seed) = output(of: logits.detached())
            let rows = out.shape[0], width = out.count / Swift.max(rows, 1)
            let o = out.storage.pointer, s = seed.storage.pointer
            return (0..<rows).map { r in
                var total = 0.0
                for j in 0..<width where s[r * width + j] != 0 { total += Double(o[r * width + j]) * Double(s[r * width + j]) }
                return total
            }
        }
    }

    private static func oneHot(shape: [Int], label: Int) -> Tensor {
        let rows = shape[0], c = shape[shape.count - 1]
        precondition(label >= 0 && label < c, "label \(label) outside 0..<\(c)")
        return Tensor(shape: shape) { o in
            o.initialize(repeating: 0)
            for r in 0..<rows { o[r * c + label] = 1 }
        }
    }

    private static func tokenSeed(shape: [Int], terms: [TokenLabel]) -> Tensor {
        precondition(shape.count == 3, "token targets need [B, S, labels] logits, got \(shape)")
        let (b, s, c) = (shape[0], shape[1], shape[2])
        return Tensor(shape: shape) { o in
            o.initialize(repeating: 0)
            for r in 0..<b {
                for t in terms {
                    precondition(t.position >= 0 && t.position < s && t.label >= 0 && t.label < c, "token target \(t) outside \(shape)")
                    o[(r * s + t.position) * c + t.label] += 1
                }
            }
        }
    }
}
