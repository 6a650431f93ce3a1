import Foundation
import Testing

@testable import FinchApps

@Suite struct AssistantRetrievalTests {
    @Test func reciprocalRankFusionByHand() {
        #expect(ReciprocalRankFusion.ranking([0.3, 0.9, 0.1, 0.9]) == [1, 3, 0, 2])
        #expect(ReciprocalRankFusion.ranking([0, 2, 0, 1], above: 0) == [1, 3])
        // Item 0 is 1st and absent (1/61 = 0.016393), item 1 2nd and 2nd (2/62 = 0.032258),
        // item 2 3rd and 1st (1/63 + 1/61 = 0.032266): one list's first place outweighs two second places.
        let fused = ReciprocalRankFusion.fuse([[0, 1, 2], [2, 1]], k: 60, count: 4)
        #expect(fused == [1.0 / 61, 1.0 / 62 + 1.0 / 62, 1.0 / 63 + 1.0 / 61, 0])
        #expect(ReciprocalRankFusion.ranking(fused) == [2, 1, 0, 3])
        // With k = 1 the head of each list counts for more: item 1 (1/3 + 1/3) loses to item 2 (1/4 + 1/2).
        #expect(ReciprocalRankFusion.ranking(ReciprocalRankFusion.fuse([[0, 1, 2], [2, 1]], k: 1, count: 3)) == [2, 1, 0])
        let weighted = ReciprocalRankFusion.fuse([[0, 1], [1, 0]], weights: [2, 1], k: 1, count: 2)
        #expect(weighted == [2.0 / 2 + 1.0 / 3, 2.0 / 3 + 1.0 / 2])
    }

    /// Three entries on the axes; the dense side alone prefers one entry, the
    /// words of the query another, and the fusion decides by the known ranks.
    @Test func hybridFusesDenseAndBM25ByRank() throws {
        let collection = FAQCollection(entries: [
            FAQEntry(id: "pw", question: "reset password", answers: ["a0"]),
            FAQEntry(id: "ship", question: "ship to canada", answers: ["a1"], alternatives: ["send abroad"]),
            FAQEntry(id: "refund", question: "refund time", answers: ["a2"]),
        ])
        var settings = AssistantSettings()
        settings.retrieval.indexAnswers = false
        settings.retrieval.lexicalWeight = 1  // equal weights: the ranks below are worked out for them
        let texts = FAQText.texts(of: collection, answers: false)
        #expect(texts.map(\.text) == ["reset password", "ship to canada", "send abroad", "refund time"])
        let rows: [Float] = [1, 0, 0, 0, 1, 0, 0.6, 0.8, 0, 0, 0, 1]
        let assistant = FAQAssistant(
            collection: collection, rows: rows, dimension: 3, settings: settings,
            calibration: AssistantCalibration(model: LogisticRegression(weights: [0, 0, 0, 0], bias: 0)))
        // Query [0.6, 0, 0.5]: cosines pw 0.768, ship 0.461 (its alternative), refund 0.640; BM25 matches refund only.
        let r = assistant.retrieve(vector: [0.6, 0, 0.5], query: "money back refund")
        #expect(r.denseRanking == [0, 2, 1])
        #expect(r.lexicalRanking == [2])
        #expect(r.ranking == [2, 0, 1])  // refund: 1/62 + 1/61 beats pw's 1/61
        #expect(Swift.abs(r.fused[2] - (1.0 / 62 + 1.0 / 61)) < 1e-15)
        // The alternative "send abroad" is the ship entry's best text.
        let s = assistant.retrieve(vector: [0.5, 0.8, 0], query: "parcel abroad")
        #expect(s.ranking.first == 1 && s.lexicalRanking == [1])
        #expect(Swift.abs(s.dense[1] - Double(0.6 * 0.5 + 0.8 * 0.8) / (0.25 + 0.64).squareRoot()) < 1e-6)
        #expect(assistant.retrieve(vector: [0.6, 0, 0.5], query: "x", mode: .dense).ranking == [0, 2, 1])
        #expect(assistant.retrieve(vector: [0.6, 0, 0.5], query: "x", mode: .bm25).ranking.isEmpty)
        let reply = assistant.answer(vector: [0.6, 0, 0.5], query: "money back refund")
        #expect(reply.entry == "refund" && reply.answer == "a2" && reply.alternatives.map(\.entry) == ["pw", "ship"])
    }

    @Test func storedCollectionAnswersLikeTheOneBuilt() throws {
        let collection = FAQCollection(
            entries: (0..<6).map { FAQEntry(id: "e\($0)", question: "question \($0)", answers: ["answer \($0)"]) })
        var table: [String: [Float]] = [:]
        for i in 0..<6 {
            table["question \(i)"] = (0..<6).map { $0 == i ? 1 : 0.1 }
            table["answer \(i)"] = (0..<6).map { $0 == (i + 1) % 6 ? 1 : 0.2 }
        }
        let built = try FAQAssistant.build(collection: collection, encoder: TableEncoder(table))
        let folder = try AssistantScratch.folder().appendingPathComponent("coll")
        try AssistantStore.save(built, model: "m", prefix: "query: ", to: folder)
        let (loaded, manifest) = try AssistantStore.load(folder)
        #expect(manifest.model == "m" && manifest.prefix == "query: " && manifest.collection == collection)
        #expect(loaded.calibration == built.calibration && loaded.settings == built.settings)
        let v: [Float] = [0.1, 0.9, 0.3, 0, 0, 0.2]
        let a = built.answer(vector: v, query: "question 1"), b = loaded.answer(vector: v, query: "question 1")
        #expect(a.entry == b.entry && a.alternatives.map(\.entry) == b.alternatives.map(\.entry))
        #expect(Swift.abs(a.confidence - b.confidence) < 1e-6)
        try Data("nope".utf8).write(to: folder.appendingPathComponent("vectors.bin"))
        #expect(throws: AssistantStoreError.self) { _ = try AssistantStore.load(folder) }
    }
}
