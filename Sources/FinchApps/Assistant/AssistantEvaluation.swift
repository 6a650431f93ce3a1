/// Quality of an assistant on queries with known answers.
///
/// Retrieval figures (hit@k, MRR@10) count the queries the FAQ answers.
/// Hand-off figures count all queries: a hand-off is right when the FAQ has
/// no answer or the top entry is wrong. Answered accuracy is the share of the
/// queries not handed off whose top entry is right. A ratio with no cases is nil.
public struct AssistantEvaluation: Codable, Sendable, Equatable {
    /// Queries evaluated.
    public var queryCount: Int
    /// Of those, how many the FAQ answers.
    public var answerableCount: Int
    /// How many were handed off.
    public var handoffCount: Int
    /// Top entry right, over answerable queries (hybrid ranking).
    public var hitAt1: Double?
    /// Right entry among the first three.
    public var hitAt3: Double?
    /// Mean of 1/rank of the right entry, 0 when it is not in the first ten.
    public var mrrAt10: Double?
    /// Right hand-offs over hand-offs.
    public var handoffPrecision: Double?
    /// Right hand-offs over queries that should be handed off.
    public var handoffRecall: Double?
    /// Right answers over queries answered.
    public var answeredAccuracy: Double?
    /// hit@1 of the dense ranking alone.
    public var denseHitAt1: Double?
    /// hit@1 of the BM25 ranking alone.
    public var bm25HitAt1: Double?
    /// MRR@10 of the dense ranking alone.
    public var denseMRRAt10: Double?
    /// MRR@10 of the BM25 ranking alone.
    public var bm25MRRAt10: Double?
    /// Share of the queries the FAQ does not answer that were handed off.
    public var unanswerableHandoffRate: Double?
    /// The hand-off policy used.
    public var policy: HandoffPolicy

    /// Evaluates `assistant` on `queries`, whose vectors are `vectors` (one
    /// row each), handing off by `policy`.
    public static func evaluate(
        _ assistant: FAQAssistant, queries: [AssistantQuery], vectors: [[Float]], policy: HandoffPolicy
    ) -> AssistantEvaluation {
        evaluate(outcomes(assistant, queries: queries, vectors: vectors), policy: policy)
    }

    /// What one query's retrieval gave, before any hand-off policy.
    public struct Outcome: Sendable, Equatable {
        /// The entry that answers the query, if any.
        public var expected: Int?
        /// The hybrid, dense and BM25 rankings.
        public var hybrid: [Int], dense: [Int], bm25: [Int]
        /// Calibrated confidence of the hybrid top entry.
        public var confidence: Double
        /// Top-two cosine margin; nil when nothing matched.
        public var margin: Double?
    }

    /// The retrievals of `queries` (one vector each).
    public static func outcomes(_ assistant: FAQAssistant, queries: [AssistantQuery], vectors: [[Float]]) -> [Outcome] {
        precondition(queries.count == vectors.count, "one vector per query")
        return zip(queries, vectors).map { q, v in
            let r = assistant.retrieve(vector: v, query: q.text)
            return Outcome(
                expected: q.expected, hybrid: r.ranking, dense: r.denseRanking, bm25: r.lexicalRanking,
                confidence: assistant.calibration.confidence(r), margin: ConfidenceFeatures.margin(r))
        }
    }

    /// The figures of `outcomes` under `policy`.
    public static func evaluate(_ outcomes: [Outcome], policy: HandoffPolicy) -> AssistantEvaluation {
        var tally = Tally()
        for o in outcomes {
            let topRight = o.expected != nil && o.hybrid.first == o.expected
            tally.add(
                expected: o.expected, hybrid: o.hybrid, dense: o.dense, bm25: o.bm25,
                handoff: policy.decide(confidence: o.confidence, margin: o.margin) != nil, topRight: topRight)
        }
        return tally.result(queryCount: outcomes.count, policy: policy)
    }

    /// Counts, query by query.
    struct Tally {
        var answerable = 0
        var hit1 = 0, hit3 = 0, reciprocal = 0.0
        var denseHit1 = 0, bm25Hit1 = 0, denseReciprocal = 0.0, bm25Reciprocal = 0.0
        var handoffs = 0, rightHandoffs = 0, shouldHandoff = 0
        var answered = 0, rightAnswers = 0
        var unanswerable = 0, unanswerableHandedOff = 0

        mutating func add(expected: Int?, hybrid: [Int], dense: [Int], bm25: [Int], handoff: Bool, topRight: Bool) {
            if let e = expected {
                answerable += 1
                let rank = hybrid.prefix(10).firstIndex(of: e).map { $0 + 1 }
                if rank == 1 { hit1 += 1 }
                if let rank, rank <= 3 { hit3 += 1 }
                if let rank { reciprocal += 1 / Double(rank) }
                if dense.first == e { denseHit1 += 1 }
                if bm25.first == e { bm25Hit1 += 1 }
                if let r = dense.prefix(10).firstIndex(of: e) { denseReciprocal += 1 / Double(r + 1) }
                if let r = bm25.prefix(10).firstIndex(of: e) { bm25Reciprocal += 1 / Double(r + 1) }
            }
            if expected == nil {
                unanswerable += 1
                if handoff { unanswerableHandedOff += 1 }
            }
            if !topRight { shouldHandoff += 1 }
            if handoff {
                handoffs += 1
                if !topRight { rightHandoffs += 1 }
            } else {
                answered += 1
                if topRight { rightAnswers += 1 }
            }
        }

        func result(queryCount: Int, policy: HandoffPolicy) -> AssistantEvaluation {
            func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
            func mean(_ s: Double, _ b: Int) -> Double? { b == 0 ? nil : s / Double(b) }
            return AssistantEvaluation(
                queryCount: queryCount, answerableCount: answerable, handoffCount: handoffs,
                hitAt1: ratio(hit1, answerable), hitAt3: ratio(hit3, answerable), mrrAt10: mean(reciprocal, answerable),
                handoffPrecision: ratio(rightHandoffs, handoffs), handoffRecall: ratio(rightHandoffs, shouldHandoff),
                answeredAccuracy: ratio(rightAnswers, answered), denseHitAt1: ratio(denseHit1, answerable),
                bm25HitAt1: ratio(bm25Hit1, answerable), denseMRRAt10: mean(denseReciprocal, answerable),
                bm25MRRAt10: mean(bm25Reciprocal, answerable), unanswerableHandoffRate: ratio(unanswerableHandedOff, unanswerable),
                policy: policy)
        }
    }
}
