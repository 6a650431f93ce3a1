/// The lexical side of retrieval: BM25 with one document per FAQ text; an
/// entry's score is the best score of its texts.
public struct LexicalFAQIndex: Sendable {
    /// Which entry each document belongs to.
    public let owners: [Int]
    /// Number of entries scored.
    public let entryCount: Int
    /// The BM25 statistics of the documents.
    public let bm25: BM25Okapi

    /// Indexes `texts` (their `LexicalTokenizer` terms) for `entryCount` entries.
    public init(texts: [FAQText], entryCount: Int) {
        owners = texts.map(\.entry)
        self.entryCount = entryCount
        bm25 = BM25Okapi(documents: texts.map { LexicalTokenizer.terms($0.text) })
    }

    /// Each entry's best BM25 score for the query terms (0 when no text matches).
    public func entryScores(_ terms: [String]) -> [Double] {
        var best = [Double](repeating: 0, count: entryCount)
        for (d, s) in bm25.scores(terms).enumerated() where s > best[owners[d]] { best[owners[d]] = s }
        return best
    }
}
