import FinchText
import FinchTrain
import Foundation

/// Where a request's time went, for the timing headers.
public struct InferenceTiming: Sendable, Equatable {
    public var queueSeconds: Double = 0
    public var tokenizationSeconds: Double = 0
    public var inferenceSeconds: Double = 0
    /// Inputs in the largest forward pass that served the request.
    public var batchInputs: Int = 0

    public init() {}

    mutating func add(_ batch: BatchTiming) {
        queueSeconds = max(queueSeconds, batch.queueSeconds)
        inferenceSeconds += batch.inferenceSeconds
        batchInputs = max(batchInputs, batch.batchInputs)
    }
}

/// A result with its timing and which inputs were truncated.
public struct InferenceResult<Value: Sendable>: Sendable {
    public var value: Value
    /// Indices of inputs cut to the model's maximum length.
    public var truncated: [Int]
    public var timing: InferenceTiming
    /// Total tokens read (special tokens included).
    public var tokens: Int
}

/// The inference calls of the service (no HTTP): tokenize, queue on the
/// model's batcher, shape the result.
public enum InferenceService {
    /// Sentence vectors of `texts`; `normalize` scales them to unit length.
    public static func embed(_ texts: [String], model: ServedModel, normalize: Bool) async throws -> InferenceResult<[[Float]]> {
        guard case .embedder(let batcher) = model.engine else {
            throw RegistryError.wrongKind(name: model.name, kind: model.kind, expected: "an embedder")
        }
        var timing = InferenceTiming()
        let start = Date()
        let tokenized = try texts.map { text throws(RegistryError) in try model.tokenize(text) }
        timing.tokenizationSeconds = Date().timeIntervalSince(start)
        let (vectors, batch) = try await batcher.submit(tokenized.map(\.encoding), lengths: tokenized.map(\.encoding.count))
        timing.add(batch)
        let out = normalize ? vectors.map(Self.normalized) : vectors
        return InferenceResult(
            value: out, truncated: tokenized.indices.filter { tokenized[$0].truncated }, timing: timing,
            tokens: tokenized.reduce(0) { $0 + $1.encoding.count })
    }

    /// Class probabilities per text (or pair).
    public static func classify(_ inputs: [ServedModel.TextInput], model: ServedModel) async throws -> InferenceResult<[ClassPrediction]> {
        guard case .classifier(let batcher) = model.engine else {
            throw RegistryError.wrongKind(name: model.name, kind: model.kind, expected: "a classifier")
        }
        var timing = InferenceTiming()
        let start = Date()
        let tokenized = try inputs.map { input throws(RegistryError) in try model.tokenize(input.text, pair: input.pair) }
        timing.tokenizationSeconds = Date().timeIntervalSince(start)
        let (predictions, batch) = try await batcher.submit(inputs, lengths: tokenized.map(\.encoding.count))
        timing.add(batch)
        return InferenceResult(
            value: predictions, truncated: tokenized.indices.filter { tokenized[$0].truncated }, timing: timing,
            tokens: tokenized.reduce(0) { $0 + $1.encoding.count })
    }

    /// Whole-word entities per text.
    public static func entities(_ texts: [String], model: ServedModel) async throws -> InferenceResult<[[EntityPrediction]]> {
        guard case .tagger(let batcher) = model.engine else {
            throw RegistryError.wrongKind(name: model.name, kind: model.kind, expected: "a tagger")
        }
        var timing = InferenceTiming()
        let start = Date()
        let tokenized = try texts.map { text throws(RegistryError) in try model.tokenize(text) }
        timing.tokenizationSeconds = Date().timeIntervalSince(start)
        let (entities, batch) = try await batcher.submit(texts, lengths: tokenized.map(\.encoding.count))
        timing.add(batch)
        return InferenceResult(
            value: entities, truncated: tokenized.indices.filter { tokenized[$0].truncated }, timing: timing,
            tokens: tokenized.reduce(0) { $0 + $1.encoding.count })
    }

    /// Scores of `texts` against `query`, best first (ties by index): a cross-encoder scores each
    /// (query, text) pair in one forward pass (the logit's sigmoid, or the logit itself when `raw`);
    /// an embedder gives the cosine of the sentence vectors (`raw` changes nothing).
    public static func rerank(query: String, texts: [String], model: ServedModel, raw: Bool = false) async throws
        -> InferenceResult<[(index: Int, score: Double)]>
    {
        switch model.engine {
        case .crossEncoder(let batcher):
            var timing = InferenceTiming()
            let start = Date()
            let tokenized = try texts.map { text throws(RegistryError) in try model.tokenize(query, pair: text) }
            timing.tokenizationSeconds = Date().timeIntervalSince(start)
            let (logits, batch) = try await batcher.submit(tokenized.map(\.encoding), lengths: tokenized.map(\.encoding.count))
            timing.add(batch)
            let scores = logits.enumerated().map {
                (index: $0.offset, score: raw ? Double($0.element) : CrossEncoder.score(logit: $0.element))
            }
            return InferenceResult(
                value: ranked(scores), truncated: tokenized.indices.filter { tokenized[$0].truncated }, timing: timing,
                tokens: tokenized.reduce(0) { $0 + $1.encoding.count })
        case .embedder:
            let result = try await embed([query] + texts, model: model, normalize: true)
            let q = result.value[0]
            var scores: [(index: Int, score: Double)] = []
            for (i, v) in result.value.dropFirst().enumerated() {
                var dot: Float = 0
                for j in 0..<q.count { dot += q[j] * v[j] }
                scores.append((i, Double(dot)))
            }
            // Input 0 is the query; text i was input i + 1.
            return InferenceResult(
                value: ranked(scores), truncated: result.truncated.filter { $0 > 0 }.map { $0 - 1 }, timing: result.timing,
                tokens: result.tokens)
        default:
            throw RegistryError.wrongKind(name: model.name, kind: model.kind, expected: "a cross-encoder or an embedder")
        }
    }

    /// Best first, ties by index.
    static func ranked(_ scores: [(index: Int, score: Double)]) -> [(index: Int, score: Double)] {
        scores.sorted { ($0.score, -$0.index) > ($1.score, -$1.index) }
    }

    /// `v` scaled to unit length (zero stays zero).
    public static func normalized(_ v: [Float]) -> [Float] {
        var s: Float = 0
        for x in v { s += x * x }
        guard s > 0 else { return v }
        let inv = 1 / s.squareRoot()
        return v.map { $0 * inv }
    }
}
