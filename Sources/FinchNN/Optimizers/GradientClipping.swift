import FinchTensor

/// Scales the gradients of `parameters` so that their global L2 norm is at
/// most `maxNorm`, as `torch.nn.utils.clip_grad_norm_` (norm type 2):
/// ```
/// total = √(Σ over all gradients of Σ g²)
/// c = min(maxNorm / (total + 1e-6), 1)
/// g ← c·g  for every gradient
/// ```
/// Returns `total`, the norm before clipping (log it; it is NaN or infinite
/// when a gradient is, and then every gradient becomes NaN, as in PyTorch's
/// default `error_if_nonfinite=False`). Parameters without a gradient are
/// ignored.
///
/// The scaled gradients replace the parameters' gradients (`value.node.grad`)
/// as fresh tensors rather than being multiplied in their old storage: the
/// tape may hand one gradient tensor to several leaves, or share it with a
/// caller's tensor, and scaling shared storage would scale it twice or change
/// the caller's values.
@discardableResult
public func clipGradNorm(_ parameters: [(name: String, parameter: Parameter)], maxNorm: Float) -> Float {
    var sumOfSquares = 0.0
    var nodes: [AutogradNode] = []
    for (_, parameter) in parameters {
        guard let node = parameter.value.node, let grad = node.grad else { continue }
        nodes.append(node)
        sumOfSquares += grad.withUnsafeBufferPointer { squaredNorm($0) }
    }
    let total = Float(sumOfSquares.squareRoot())
    let coefficient = maxNorm / (total + 1e-6)
    // torch.clamp(max: 1) keeps NaN.
    let clamped = coefficient.isNaN ? coefficient : Swift.min(coefficient, 1)
    guard clamped != 1 else { return total }
    for node in nodes {
        guard let grad = node.grad else { continue }
        let source = grad.storage.pointer
        node.grad = Tensor(shape: grad.shape) { out in
            let destination = out.baseAddress!
            Parallel.forRanges(out.count) { range in
                for i in range { destination[i] = source[i] * clamped }
            }
        }
    }
    return total
}

/// Σ x² accumulated in Double (four running sums, so the loop vectorizes).
private func squaredNorm(_ x: UnsafeBufferPointer<Float>) -> Double {
    guard let p = x.baseAddress else { return 0 }
    let n = x.count
    var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
    var i = 0
    while i + 4 <= n {
        let (a, b, c, d) = (Double(p[i]), Double(p[i + 1]), Double(p[i + 2]), Double(p[i + 3]))
        s0 += a * a
        s1 += b * b
        s2 += c * c
        s3 += d * d
        i += 4
    }
    while i < n {
        let a = Double(p[i])
        s0 += a * a
        i += 1
    }
    return (s0 + s1) + (s2 + s3)
}
