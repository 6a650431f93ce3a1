import FinchNN
import FinchTensor
import FinchTransformers

/// What the word vectors of the non-special tokens start from.
public enum AttributionBaseline: String, Codable, Sendable, CaseIterable {
    /// The embedding of the padding token (`pad_token_id`) at every
    /// non-special position; special tokens ([CLS], [SEP]) keep their own.
    /// This is Captum's `LayerIntegratedGradients` given baseline input ids
    /// with [PAD] at every non-special position.
    case pad
    /// Zero vectors at every non-special position; special tokens keep theirs.
    case zero
}

/// Settings of an integrated-gradients run.
public struct IntegratedGradientsOptions: Sendable, Equatable {
    /// Quadrature points (Captum's `n_steps`, default 50).
    public var steps: Int
    /// Points per forward/backward pass (Captum's `internal_batch_size`);
    /// nil runs all of them in one pass, as Captum does by default.
    public var internalBatchSize: Int?
    /// The starting point of the path.
    public var baseline: AttributionBaseline

    /// 50 steps in one pass from the pad baseline, unless told otherwise.
    public init(steps: Int = 50, internalBatchSize: Int? = nil, baseline: AttributionBaseline = .pad) {
        self.steps = steps
        self.internalBatchSize = internalBatchSize
        self.baseline = baseline
    }
}

/// Attributions of one input, per token.
public struct TokenAttributions: Sendable, Equatable {
    /// Per token: the attribution summed over the hidden dimension.
    public var tokens: [Double]
    /// F at the input.
    public var inputOutput: Double
    /// F at the baseline.
    public var baselineOutput: Double
    /// Completeness gap: Σ attributions − (F(input) − F(baseline)).
    public var delta: Double
}

/// Integrated gradients over the word-embedding layer's output
/// (Sundararajan et al. 2017), computed as Captum's
/// `LayerIntegratedGradients(forward, model.bert.embeddings.word_embeddings)`
/// with `method="gausslegendre"` and `multiply_by_inputs=True`:
///
///     attrᵢ = (eᵢ − bᵢ) · Σₖ wₖ ∂F/∂eᵢ (b + αₖ(e − b))
///
/// for word vectors e, baseline b and the Gauss–Legendre rule (αₖ, wₖ) on
/// [0, 1]; summed over the hidden dimension per token. Position and
/// token-type embeddings are not interpolated.
public struct IntegratedGradients {
    /// The model; its parameters are frozen on `init` so the backward pass
    /// computes only the gradient of the word vectors.
    public let model: any EmbeddingInputModel
    /// Steps, batch size and baseline.
    public var options: IntegratedGradientsOptions

    /// Explains `model`, freezing every parameter of it (an explained model is not trained).
    public init(model: any EmbeddingInputModel, options: IntegratedGradientsOptions = IntegratedGradientsOptions()) {
        model.freeze()
        model.eval()
        self.model = model
        self.options = options
    }

    /// The baseline word vectors [S, H] for `ids`, given which positions are special.
    public func baselineVectors(ids: [Int], special: [Bool]) -> Tensor {
        let bert = model.encoderModel
        let h = bert.config.hiddenSize
        switch options.baseline {
        case .pad:
            let pad = bert.embeddings.paddingIndex ?? bert.config.padTokenID ?? 0
            return bert.wordVectors(zip(ids, special).map { $1 ? $0 : pad })
        case .zero:
            let own = bert.wordVectors(ids)
            return Tensor(shape: [ids.count, h]) { o in
                let src = own.storage.pointer
                for (t, isSpecial) in special.enumerated() {
                    for j in 0..<h { o[t * h + j] = isSpecial ? src[t * h + j] : 0 }
                }
            }
        }
    }

    /// Attributes `target` over the tokens of one sequence. `special` marks
    /// the tokens the baseline keeps ([CLS], [SEP]); `typeIDs` nil means all 0.
    public func attribute(ids: [Int], typeIDs: [Int]? = nil, special: [Bool], target: AttributionTarget) throws
        -> TokenAttributions
    {
        precondition(special.count == ids.count, "\(special.count) special flags for \(ids.count) tokens")
        guard options.steps >= 1 else { throw ExplanationError.invalidSteps(options.steps) }
        let bert = model.encoderModel
        let s = ids.count, h = bert.config.hiddenSize, n = s * h
        try bert.validate(BertInput(batchSize: 1, sequenceLength: s, inputIDs: ids, tokenTypeIDs: typeIDs))
        let input = bert.wordVectors(ids), base = baselineVectors(ids: ids, special: special)
        let rule = GaussLegendreRule(points: options.steps)
        let chunk = Swift.max(1, Swift.min(options.internalBatchSize ?? options.steps, options.steps))
        var totalGrad = [Float](repeating: 0, count: n)
        let ip = input.storage.pointer, bp = base.storage.pointer
        var first = 0
        while first < options.steps {
            let count = Swift.min(chunk, options.steps - first)
            let alphas = rule.alphas[first..<(first + count)].map { Float($0) }
            let scaled = Tensor(shape: [count, s, h]) { o in
                for (k, a) in alphas.enumerated() {
                    let row = o.baseAddress! + k * n
                    for j in 0..<n { row[j] = bp[j] + a * (ip[j] - bp[j]) }
                }
            }.requiringGrad()
            let batch = Self.repeated(ids: ids, typeIDs: typeIDs, rows: count)
            let (output, seed) = target.output(of: try model.logits(words: scaled, input: batch))
            output.backward(seed)
            guard let grad = scaled.grad else { throw ExplanationError.noGradient }
            let gp = grad.storage.pointer
            totalGrad.withUnsafeMutableBufferPointer { t in
                for k in 0..<count {
                    let w = Float(rule.weights[first + k]), g = gp + k * n
                    for j in 0..<n { t[j] += g[j] * w }
                }
            }
            first += count
        }
        var tokens = [Double](repeating: 0, count: s)
        for t in 0..<s {
            var sum = 0.0
            for j in (t * h)..<((t + 1) * h) { sum += Double(totalGrad[j] * (ip[j] - bp[j])) }
            tokens[t] = sum
        }
        let ends = try withoutGradient {
            let both = Tensor.concat([input.reshaped([1, s, h]), base.reshaped([1, s, h])], axis: 0)
            return target.values(of: try model.logits(words: both, input: Self.repeated(ids: ids, typeIDs: typeIDs, rows: 2)))
        }
        let delta = tokens.reduce(0, +) - (ends[0] - ends[1])
        return TokenAttributions(tokens: tokens, inputOutput: ends[0], baselineOutput: ends[1], delta: delta)
    }

    /// `rows` copies of one sequence, no padding.
    static func repeated(ids: [Int], typeIDs: [Int]?, rows: Int) -> BertInput {
        let types = typeIDs.map { t in (0..<rows).flatMap { _ in t } }
        return BertInput(
            batchSize: rows, sequenceLength: ids.count, inputIDs: (0..<rows).flatMap { _ in ids }, tokenTypeIDs: types)
    }
}
