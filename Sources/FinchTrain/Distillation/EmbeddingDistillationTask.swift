import FinchNN
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// A text tokenized for an embedder: token ids with their special tokens, segment ids, and its line.
public struct EncodedText: Sendable, Equatable {
    /// Token ids, special tokens included.
    public var ids: [Int]
    /// Segment ids, one per token.
    public var typeIDs: [Int]
    /// The 1-based line in its file (0: not from a file).
    public var line: Int
}

/// Distilling a sentence embedder (the teacher, a sentence-transformers
/// folder) into one with fewer layers on unlabelled text: the student's
/// pooled (and, as the teacher's, normalized) sentence vectors are trained to
/// match the teacher's with the mean squared error over every component, as
/// sentence-transformers' `MSELoss` distils. The teacher runs its inference
/// path; the student keeps the teacher's pooling, normalization and width, so
/// the exported folder is an embedder that `finch embed` and `finch search`
/// take as they take the teacher.
public final class EmbeddingDistillationTask: TrainingTask {
    /// The student encoder, the model that trains.
    public let student: BertModel
    /// The embedder whose sentence vectors the student learns (never updated).
    public let teacher: SentenceEmbedder
    /// The teacher's tokenizer, which the student shares.
    public let tokenizer: Tokenizer
    /// Where the tokenizer files come from (copied next to the saved student).
    public let tokenizerDirectory: URL
    /// Tokens per text when training, special tokens included.
    public let maxLength: Int
    /// Texts per forward pass when evaluating.
    public var evaluationBatchSize = 64

    /// The student, as the Trainer sees it.
    public var model: any Module { student }
    /// The student's word embeddings (FGM).
    public var wordEmbeddingKey: String? { "embeddings.word_embeddings.weight" }
    /// `loss` (the mean squared error); evaluations also report `cosine`.
    public var reportedMetrics: [TrainingMetric]? { [.loss] }

    /// A task distilling `teacher` into `student` (same hidden size), texts cut at `maxLength`
    /// tokens (at most the teacher's `maxSequenceLength`).
    public init(teacher: SentenceEmbedder, student: BertModel, tokenizer: Tokenizer, tokenizerDirectory: URL, maxLength: Int) {
        precondition(
            student.config.hiddenSize == teacher.model.config.hiddenSize,
            "student width \(student.config.hiddenSize) vs teacher \(teacher.model.config.hiddenSize)")
        precondition(maxLength <= teacher.maxSequenceLength, "length \(maxLength) above the teacher's \(teacher.maxSequenceLength)")
        self.teacher = teacher
        self.student = student
        self.tokenizer = tokenizer
        self.tokenizerDirectory = tokenizerDirectory
        self.maxLength = maxLength
    }

    /// Tokenizes texts, truncated to `maxLength`.
    public func encode(_ texts: [TextLine]) throws -> [EncodedText] {
        let encodings = try tokenizer.encode(batch: texts.map { (text: $0.text, pair: nil) }, truncation: Truncation(maxLength: maxLength))
        return zip(encodings, texts).map { EncodedText(ids: $0.ids, typeIDs: $0.typeIDs, line: $1.line) }
    }

    /// Tokens of the text.
    public func length(of example: EncodedText) -> Int { example.ids.count }

    /// The teacher's sentence vectors [N, D] of `texts`, in order.
    public func teacherVectors(_ texts: [EncodedText]) throws -> Tensor {
        try teacher.embed(
            tokenIDs: texts.map(\.ids), tokenTypeIDs: texts.map(\.typeIDs), batchSize: evaluationBatchSize, sortByLength: false)
    }

    /// The student's sentence vectors [N, D] through the differentiable path
    /// (recorded for backward when gradients are on; dropout in training mode).
    public func studentVectors(_ texts: [EncodedText]) throws -> Tensor {
        let input = BertInput(padding: texts.map(\.ids), tokenTypeIDs: texts.map(\.typeIDs), padTokenID: teacher.padTokenID)
        let pooled = teacher.pooling(try student(input).lastHiddenState, attentionMask: input.resolvedAttentionMask)
        return teacher.normalizes ? pooled.l2Normalized() : pooled
    }

    /// Mean squared error between the student's and the teacher's vectors of the batch.
    public func loss(on batch: [EncodedText]) throws -> Tensor {
        let target = try teacherVectors(batch)
        return try studentVectors(batch).mseLoss(target)
    }

    /// The student as an embedder with the teacher's pooling, normalization and longest input.
    public var studentEmbedder: SentenceEmbedder {
        SentenceEmbedder(
            model: student, pooling: teacher.pooling.config, normalizes: teacher.normalizes, maxSequenceLength: teacher.maxSequenceLength)
    }

    /// `loss`: the mean squared error over every vector component; `cosine`:
    /// the mean cosine similarity of each text's student and teacher vectors.
    public func evaluate(_ examples: [EncodedText]) throws -> Evaluation {
        let ids = examples.map(\.ids), types = examples.map(\.typeIDs)
        let s = try studentEmbedder.embed(tokenIDs: ids, tokenTypeIDs: types, batchSize: evaluationBatchSize)
        let t = try teacher.embed(tokenIDs: ids, tokenTypeIDs: types, batchSize: evaluationBatchSize)
        let mse = examples.isEmpty ? 0 : Double(s.mseLoss(t).item)
        let d = teacher.dimension
        let sp = s.scalars, tp = t.scalars
        var cosine = 0.0
        for i in 0..<examples.count {
            var dot = 0.0, ss = 0.0, tt = 0.0
            for j in 0..<d {
                let a = Double(sp[i * d + j]), b = Double(tp[i * d + j])
                dot += a * b
                ss += a * a
                tt += b * b
            }
            cosine += dot / Swift.max((ss * tt).squareRoot(), 1e-12)
        }
        cosine /= Double(Swift.max(examples.count, 1))
        let report = String(
            format: "student vs teacher sentence vectors on %d texts: mean squared error %.6g, mean cosine %.4f", examples.count, mse,
            cosine)
        let json = String(format: "{\"mse\":%.17g,\"cosine\":%.17g}", mse, cosine)
        return Evaluation(metrics: ["loss": mse, "cosine": cosine], report: report, json: json)
    }

    /// Writes the student as a sentence-transformers folder with the teacher's tokenizer files.
    public func saveModel(to directory: URL) throws {
        try studentEmbedder.save(to: directory)
        try TokenizerFiles.copy(from: tokenizerDirectory, to: directory)
    }
}
