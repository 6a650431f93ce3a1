/// What the calibration looks at in a retrieval: four numbers about the top
/// entry of the fused ranking, each comparable across queries and collections.
public enum ConfidenceFeatures {
    /// The features' names, in order (stored with the calibration).
    public static let names = ["dense_top", "dense_margin", "bm25_top_share", "agreement"]

    /// The features of `retrieval`'s top entry: its cosine; its cosine minus
    /// that of the next entry of the ranking (the "too close to call"
    /// margin); its BM25 score as a share of the most the query could score;
    /// 1 when the dense and the BM25 rankings both put it first, else 0.
    /// Nil when the ranking is empty.
    public static func of(_ retrieval: Retrieval) -> [Double]? {
        guard let top = retrieval.ranking.first else { return nil }
        return [
            retrieval.dense[top],
            margin(retrieval) ?? 0,
            retrieval.lexicalCeiling > 0 ? retrieval.lexical[top] / retrieval.lexicalCeiling : 0,
            retrieval.denseRanking.first == top && retrieval.lexicalRanking.first == top ? 1 : 0,
        ]
    }

    /// The cosine of the top entry minus that of the second (the whole cosine
    /// when there is no second entry); nil when the ranking is empty. It is
    /// negative when BM25 lifted an entry above one closer in meaning.
    public static func margin(_ retrieval: Retrieval) -> Double? {
        guard let top = retrieval.ranking.first else { return nil }
        guard retrieval.ranking.count > 1 else { return retrieval.dense[top] }
        return retrieval.dense[top] - retrieval.dense[retrieval.ranking[1]]
    }
}
