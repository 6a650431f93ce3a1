import Foundation
import Testing

@testable import FinchApps

/// Which pairs an embedder retrain trains and evaluates on: accepted answers
/// (the latest per query, "none of these" not a pair), and the collections'
/// alternatives as replay, without the accepted queries that became alternatives.
@Suite struct EmbedderRetrainingDataTests {
    static func served(_ name: String, prefix: String, _ entries: [FAQEntry]) async throws -> AssistantService.Served {
        let service = AssistantService(store: InMemoryAssistantRepository(), embedding: AssistantServiceTests.embedding)
        return try await service.importCollection(
            FAQCollection(entries: entries), name: name, options: AssistantImportOptions(model: "m", prefix: prefix))
    }

    static func answer(_ collection: String, _ query: String?, _ entry: String?) -> FeedbackRecord {
        FeedbackRecord(
            id: UUID().uuidString, kind: .answer, model: nil, collection: collection, input: query, label: nil, entities: nil,
            entry: entry, user: nil, keyID: "k", createdAt: Date())
    }

    @Test func pairsAreTheLatestAcceptedAnswersAndTheAlternativesLeftOver() async throws {
        let faq = try await Self.served(
            "faq", prefix: "q: ",
            [
                FAQEntry(
                    id: "pw", question: "reset password", answers: ["Use the link."],
                    alternatives: ["forgot password", "lost  my password"]),
                FAQEntry(id: "refund", question: "refund money", answers: ["Ten days."], alternatives: ["refund money", "money back"]),
            ])
        let records = [
            Self.answer("faq", "lost my password", "pw"),  // accepted earlier, so an alternative now (spaces aside)
            Self.answer("faq", "where is my parcel", "refund"),
            Self.answer("faq", "where is my parcel", nil),  // then "none of these": no pair any more
            Self.answer("faq", "cash back", "pw"),
            Self.answer("faq", "cash back", "refund"),  // the latest answer counts
            Self.answer("faq", nil, "pw"),  // no kept query
            Self.answer("faq", "hello", "deleted-entry"),
        ]
        let data = EmbedderRetraining.data(collections: [faq], feedback: ["faq": records])
        #expect(
            data.feedback == [
                .init(collection: "faq", text: "lost my password", entry: 0), .init(collection: "faq", text: "cash back", entry: 1),
            ])
        // "lost  my password" is the accepted query (it is feedback), "refund money" is the question itself.
        #expect(
            data.replay == [
                .init(collection: "faq", text: "forgot password", entry: 0), .init(collection: "faq", text: "money back", entry: 1),
            ])
        #expect(data.collections["faq"] == .init(prefix: "q: ", questions: ["reset password", "refund money"]))
        #expect(
            EmbedderRetraining.pair(data.feedback[1], in: data.collections)
                == .init(anchor: "q: cash back", positive: "q: refund money"))
        let (train, held) = EmbedderRetraining.splitReplay(data.replay, fraction: 0.2, seed: 1)
        #expect(held.count == 1 && train.count == 1 && Set((train + held).map(\.text)) == ["forgot password", "money back"])
        #expect(EmbedderRetraining.splitReplay([], fraction: 0.2, seed: 1).heldOut.isEmpty)
    }
}
