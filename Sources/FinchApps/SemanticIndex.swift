import FinchSupport
import FinchTensor
import FinchTransformers
import Foundation

/// One searchable text of a corpus.
public struct CorpusEntry: Codable, Sendable, Equatable {
    /// The caller's id (JSONL `id`), or the 1-based line number.
    public var id: String
    public var text: String
}

/// A search result.
public struct SearchHit: Codable, Sendable, Equatable {
    public var id: String
    public var text: String
    /// Cosine similarity of query and text.
    public var score: Double
}

/// Sentence vectors of a corpus for semantic search (FAQ retrieval for a
/// support bot): unit-length rows, searched by one matrix-vector product and a
/// partial sort. Kept on disk beside the corpus as `<corpus>.finch-index` and
/// rebuilt when the corpus or the model changes.
public final class SemanticIndex: @unchecked Sendable {
    public let entries: [CorpusEntry]
    /// [count, dimension], rows L2-normalized.
    public let vectors: Tensor
    public var dimension: Int { vectors.shape[1] }

    /// An index of `entries` with one vector each (any length; rows are L2-normalized here).
    public convenience init(entries: [CorpusEntry], vectors: Tensor) {
        self.init(entries: entries, unitVectors: SemanticIndex.normalizedRows(vectors))
    }

    /// An index over rows that are already unit length (the `vectors` of an
    /// index, saved and read back): kept bit for bit. Normalizing them again
    /// would move the last bit of some values, so a loaded index would differ
    /// from the one that was saved.
    public init(entries: [CorpusEntry], unitVectors: Tensor) {
        precondition(unitVectors.rank == 2 && unitVectors.shape[0] == entries.count, "one vector per entry")
        self.entries = entries
        self.vectors = unitVectors
    }

    /// Embeds `entries` with `embedder`, in blocks of 1,024 texts; `progress`
    /// gets the number of texts done after each block.
    public convenience init(
        entries: [CorpusEntry], embedder: TextEmbedder, batchSize: Int = 32,
        progress: (Int) -> Void = { _ in }
    ) throws {
        let d = embedder.dimension
        let vectors = Tensor.zeros([entries.count, d])
        var start = 0
        while start < entries.count {
            let end = Swift.min(start + 1024, entries.count)
            let block = try embedder.embed(entries[start..<end].map(\.text), batchSize: batchSize)
            (vectors.storage.pointer + start * d).update(from: block.storage.pointer, count: block.count)
            start = end
            progress(end)
        }
        self.init(entries: entries, vectors: vectors)
    }

    /// The `k` entries most similar to `query` (a vector of `dimension`), best first.
    public func search(_ query: Tensor, topK k: Int) -> [SearchHit] {
        precondition(query.count == dimension, "query has \(query.count) values, index vectors \(dimension)")
        let n = entries.count
        guard n > 0, k > 0 else { return [] }
        let q = SemanticIndex.normalizedRows(query.reshaped([1, dimension]))
        var scores = [Float](repeating: 0, count: n)
        scores.withUnsafeMutableBufferPointer { s in
            GEMM.sgemv(m: n, n: dimension, a: vectors.storage.pointer, lda: dimension, x: q.storage.pointer, y: s.baseAddress!)
        }
        return TopK.largest(scores, count: k).map {
            SearchHit(id: entries[$0.index].id, text: entries[$0.index].text, score: Double($0.score))
        }
    }

    static func normalizedRows(_ m: Tensor) -> Tensor {
        let d = m.shape.last ?? 1, rows = m.count / Swift.max(d, 1)
        let p = m.storage.pointer
        return Tensor(shape: m.shape) { out in
            for r in 0..<rows {
                var s: Float = 0
                for j in 0..<d { s += p[r * d + j] * p[r * d + j] }
                let inv = s > 0 ? 1 / s.squareRoot() : 0
                for j in 0..<d { out[r * d + j] = p[r * d + j] * inv }
            }
        }
    }
}
