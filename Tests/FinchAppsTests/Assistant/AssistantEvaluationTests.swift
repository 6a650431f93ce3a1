import Foundation
import Testing

@testable import FinchApps

/// The evaluation's figures on six queries whose rankings and hand-offs are
/// worked out by hand below.
@Suite struct AssistantEvaluationTests {
    static let collection = FAQCollection(entries: [
        FAQEntry(id: "pw", question: "reset password", answers: ["a0"]),
        FAQEntry(id: "ship", question: "ship to canada", answers: ["a1"]),
        FAQEntry(id: "refund", question: "refund time", answers: ["a2"]),
    ])

    /// Confidence σ(10·cos(top) − 7): at least 0.5 exactly when the top entry's cosine is at least 0.7.
    static func assistant() -> FAQAssistant {
        var settings = AssistantSettings()
        settings.retrieval.indexAnswers = false
        settings.retrieval.lexicalWeight = 1  // equal weights: the ranks below are worked out for them
        return FAQAssistant(
            collection: collection, rows: [1, 0, 0, 0, 1, 0, 0, 0, 1], dimension: 3, settings: settings,
            calibration: AssistantCalibration(model: LogisticRegression(weights: [10, 0, 0, 0], bias: -7)))
    }

    // query, vector, expected; cosines to (pw, ship, refund) and the outcome:
    // q1 .994 .110 0     no words shared → hybrid pw ✓ (dense ✓, bm25 ✗); cos .994: answered, right
    // q2 .241 .963 .120  → ship ✓ (dense ✓, bm25 ✗); answered, right
    // q3 .768 0 .640     "refund" → bm25 refund; fused refund 1/62+1/61 > pw 1/61 → refund ✓ (dense ✗, bm25 ✓);
    //                    cos(refund) .640 < .7: handed off, though right (a wrong hand-off)
    // q4 .108 .216 .970  expected none; "canada" → bm25 ship; fused ship 1/62+1/61 → top ship, cos .216: handed off (right)
    // q5 0 .6 .8         expected pw, ranked 3rd (hit@3, 1/3); top refund cos .8, margin .2: answered, wrong
    // q6 .768 .512 .384  expected none; top pw cos .768: answered, wrong
    static let queries: [(String, [Float], Int?)] = [
        ("lost my login", [0.9, 0.1, 0], 0),
        ("parcel abroad", [0.2, 0.8, 0.1], 1),
        ("money back refund", [0.6, 0, 0.5], 2),
        ("canada weather", [0.1, 0.2, 0.9], nil),
        ("my account", [0, 0.6, 0.8], 0),
        ("something else", [0.6, 0.4, 0.3], nil),
    ]

    static func evaluate(_ policy: HandoffPolicy) -> AssistantEvaluation {
        AssistantEvaluation.evaluate(
            assistant(), queries: queries.map { AssistantQuery(text: $0.0, expected: $0.2) }, vectors: queries.map(\.1),
            policy: policy)
    }

    @Test func figuresCountedByHand() {
        let r = Self.evaluate(HandoffPolicy(threshold: 0.5, ambiguityMargin: 0))
        #expect(r.queryCount == 6 && r.answerableCount == 4 && r.handoffCount == 2)
        #expect(r.hitAt1 == 3.0 / 4)  // q1 q2 q3
        #expect(r.hitAt3 == 1)  // q5 third
        #expect(Swift.abs(r.mrrAt10! - (1 + 1 + 1 + 1.0 / 3) / 4) < 1e-12)
        #expect(r.denseHitAt1 == 2.0 / 4)  // q1 q2
        #expect(r.bm25HitAt1 == 1.0 / 4)  // q3
        // Hand-offs q3 (wrong: its top was right) and q4 (right); should be handed off: q4, q5, q6.
        #expect(r.handoffPrecision == 1.0 / 2)
        #expect(r.handoffRecall == 1.0 / 3)
        #expect(r.answeredAccuracy == 2.0 / 4)  // answered q1 q2 q5 q6, right q1 q2
    }

    @Test func theAmbiguityMarginHandsOffCloseCalls() {
        // Margins: q1 .884, q2 .722, q5 .2, q6 .256 → with 0.3, q5 and q6 go to a person too.
        let r = Self.evaluate(HandoffPolicy(threshold: 0.5, ambiguityMargin: 0.3))
        #expect(r.handoffCount == 4)
        #expect(r.handoffPrecision == 3.0 / 4 && r.handoffRecall == 1)
        #expect(r.answeredAccuracy == 1)
        #expect(r.hitAt1 == 3.0 / 4)  // retrieval figures do not depend on the policy
    }

    @Test func ratiosWithNoCasesAreAbsent() {
        let r = Self.evaluate(HandoffPolicy(threshold: 1.1, ambiguityMargin: 0))
        #expect(r.handoffCount == 6 && r.answeredAccuracy == nil && r.handoffPrecision == 3.0 / 6 && r.handoffRecall == 1)
    }
}
