/// Which ranking an answer comes from.
public enum RetrievalMode: String, Codable, Sendable, CaseIterable {
    /// Dense and BM25 fused by reciprocal rank.
    case hybrid
    /// Sentence vectors only.
    case dense
    /// BM25 only.
    case bm25
}

/// How the two retrievers are built and fused.
public struct RetrievalOptions: Codable, Sendable, Equatable {
    /// The reciprocal-rank constant (60, the paper's).
    public var rrfK: Double = 60
    /// Weight of the dense ranking in the fusion.
    public var denseWeight: Double = 1
    /// Weight of the BM25 ranking in the fusion. 0.01, chosen on the tuning queries of
    /// `Benchmarks/faq_queries_english.jsonl` (BENCHMARKS.md, "Support assistant"): there, with
    /// k = 60, any weight from 0.02 up let BM25's first place (right 27% of the time on
    /// paraphrases) outvote the dense ranking's (right 90%), and hit@1 fell from 0.90 to 0.53 at
    /// weight 1; at 0.01 BM25 only reorders entries the dense side ranks almost alike.
    public var lexicalWeight: Double = 0.01
    /// Whether answers are searchable texts too (besides questions and alternatives).
    public var indexAnswers: Bool = true

    /// The defaults.
    public init() {}
}

/// Everything one query's retrieval found, per entry.
public struct Retrieval: Sendable, Equatable {
    /// Entries best first, in the requested mode.
    public var ranking: [Int]
    /// Fused reciprocal-rank score of each entry.
    public var fused: [Double]
    /// Best cosine of each entry (−∞ for an entry with no text).
    public var dense: [Double]
    /// Best BM25 score of each entry.
    public var lexical: [Double]
    /// Entries by dense score.
    public var denseRanking: [Int]
    /// Entries with a BM25 score above 0, best first.
    public var lexicalRanking: [Int]
    /// The most BM25 could give this query (`BM25Okapi.ceiling`).
    public var lexicalCeiling: Double
}

/// Dense and BM25 retrieval over the same FAQ texts, fused by reciprocal rank.
public struct HybridRetriever: Sendable {
    /// The dense side.
    public let dense: DenseFAQIndex
    /// The BM25 side.
    public let lexical: LexicalFAQIndex
    /// Fusion settings.
    public let options: RetrievalOptions

    /// A retriever over indexes of the same entries.
    public init(dense: DenseFAQIndex, lexical: LexicalFAQIndex, options: RetrievalOptions) {
        precondition(dense.entryCount == lexical.entryCount, "both indexes cover the same entries")
        self.dense = dense
        self.lexical = lexical
        self.options = options
    }

    /// Retrieves for a query given as its vector and its BM25 terms.
    public func retrieve(vector: [Float], terms: [String], mode: RetrievalMode = .hybrid) -> Retrieval {
        let d = dense.entryScores(vector)
        let l = lexical.entryScores(terms)
        let denseRanking = ReciprocalRankFusion.ranking(d)
        let lexicalRanking = ReciprocalRankFusion.ranking(l, above: 0)
        let fused = ReciprocalRankFusion.fuse(
            [denseRanking, lexicalRanking], weights: [options.denseWeight, options.lexicalWeight], k: options.rrfK,
            count: dense.entryCount)
        let ranking: [Int]
        switch mode {
        case .dense: ranking = denseRanking
        case .bm25: ranking = lexicalRanking
        case .hybrid:
            // Every entry with a text is in the dense ranking; ties in the fusion go to the better cosine.
            ranking = denseRanking.sorted { a, b in
                if fused[a] != fused[b] { return fused[a] > fused[b] }
                if d[a] != d[b] { return d[a] > d[b] }
                return a < b
            }
        }
        return Retrieval(
            ranking: ranking, fused: fused, dense: d, lexical: l, denseRanking: denseRanking, lexicalRanking: lexicalRanking,
            lexicalCeiling: lexical.bm25.ceiling(terms))
    }
}
