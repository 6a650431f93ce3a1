import Foundation

/// Okapi BM25 over a fixed set of documents (each a list of terms), computed
/// as rank_bm25's `BM25Okapi` computes it, defaults included:
///
///     idf(t)   = ln(N − n(t) + 0.5) − ln(n(t) + 0.5)        n(t): documents holding t
///     negative idfs are replaced by ε · mean(idf) over all terms (ε = 0.25)
///     score(d) = Σ_{t in query, repeats counted} idf(t) · f(t,d)·(k1+1) / (f(t,d) + k1·(1 − b + b·|d|/avgdl))
///
/// with k1 = 1.5, b = 0.75. A term no document holds adds nothing.
/// `Tests/Fixtures/bm25_okapi.json` (from `Scripts/make_bm25_fixture.py`) pins the scores.
public struct BM25Okapi: Sendable {
    /// Term-frequency saturation.
    public let k1: Double
    /// Length normalization.
    public let b: Double
    /// Floor for negative idfs, as a fraction of the mean idf.
    public let epsilon: Double
    /// Number of documents.
    public let documentCount: Int
    /// Mean document length in terms.
    public let averageLength: Double
    /// The idf of each term (after the floor rule).
    public let idf: [String: Double]
    /// Per term: (document, frequency) pairs, documents ascending.
    let postings: [String: [(document: Int, frequency: Int)]]
    let lengths: [Int]

    /// Indexes `documents` (term lists). An empty list of documents scores nothing.
    public init(documents: [[String]], k1: Double = 1.5, b: Double = 0.75, epsilon: Double = 0.25) {
        self.k1 = k1
        self.b = b
        self.epsilon = epsilon
        documentCount = documents.count
        lengths = documents.map(\.count)
        averageLength = documents.isEmpty ? 0 : Double(lengths.reduce(0, +)) / Double(documents.count)
        var postings: [String: [(document: Int, frequency: Int)]] = [:]
        var firstSeen: [String] = []
        for (d, terms) in documents.enumerated() {
            var counts: [String: Int] = [:]
            var order: [String] = []
            for t in terms {
                if counts[t] == nil { order.append(t) }
                counts[t, default: 0] += 1
            }
            for t in order {
                if postings[t] == nil { firstSeen.append(t) }
                postings[t, default: []].append((d, counts[t]!))
            }
        }
        self.postings = postings
        // rank_bm25 sums the idfs in the order terms were first seen; the same order keeps the mean bit-equal.
        var idf: [String: Double] = [:]
        var sum = 0.0
        var negative: [String] = []
        let n = Double(documents.count)
        for t in firstSeen {
            let df = Double(postings[t]!.count)
            let value = log(n - df + 0.5) - log(df + 0.5)
            idf[t] = value
            sum += value
            if value < 0 { negative.append(t) }
        }
        let floor = firstSeen.isEmpty ? 0 : epsilon * (sum / Double(firstSeen.count))
        for t in negative { idf[t] = floor }
        self.idf = idf
    }

    /// The score of every document for the query terms, in document order.
    public func scores(_ query: [String]) -> [Double] {
        var out = [Double](repeating: 0, count: documentCount)
        guard documentCount > 0 else { return out }
        out.withUnsafeMutableBufferPointer { s in
            for t in query {
                guard let list = postings[t], let w = idf[t] else { continue }
                for (d, f) in list {
                    let tf = Double(f)
                    s[d] += w * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * Double(lengths[d]) / averageLength)))
                }
            }
        }
        return out
    }

    /// The most a document could score for `query` (every term's positive idf
    /// times k1 + 1): the scale that makes a score comparable across queries.
    public func ceiling(_ query: [String]) -> Double {
        query.reduce(0) { $0 + Swift.max(idf[$1] ?? 0, 0) * (k1 + 1) }
    }
}
