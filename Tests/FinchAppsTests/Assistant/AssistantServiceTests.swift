import FinchTensor
import FinchText
import Foundation
import Synchronization
import Testing

@testable import FinchApps

/// Consent answers from a table; users not in it allow everything.
struct TableConsent: ConsentLookup {
    let refusing: Set<String>
    func consent(user: String) async throws -> UserConsent {
        UserConsent(personalization: true, storeTextsForTraining: !refusing.contains(user))
    }
}

@Suite struct AssistantServiceTests {
    /// One bucket per distinct word seen so far in `words`: exact, so the tests can reason about cosines.
    static let words = ["password", "reset", "refund", "money", "ship", "canada", "hours", "open"]
    static let embedding: AssistantEmbedding = { texts, _ in
        texts.map { text in
            var v = [Float](repeating: 0, count: words.count + 1)
            for w in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
                v[words.firstIndex(of: String(w)) ?? words.count] += 1
            }
            return v
        }
    }

    static let faq = FAQCollection(entries: [
        FAQEntry(id: "pw", question: "reset password", answers: ["Use the link."]),
        FAQEntry(id: "refund", question: "refund money", answers: ["Ten days."]),
        FAQEntry(id: "ship", question: "ship canada", answers: ["Yes."]),
        FAQEntry(id: "hours", question: "open hours", answers: ["9 to 5."]),
    ])

    @Test func aUserWhoKeepsNoTextsHasTheAskStoredWithoutItsQuery() async throws {
        let store = InMemoryAssistantRepository()
        let service = AssistantService(store: store, embedding: Self.embedding, consent: TableConsent(refusing: ["no-texts"]))
        try await service.importCollection(Self.faq, name: "faq", options: AssistantImportOptions(model: "m"))
        let refused = try await service.ask("reset my password", session: "s", user: "no-texts", in: "faq")
        let allowed = try await service.ask("reset my password", session: "s", user: "fine", in: "faq")
        let anonymous = try await service.ask("refund", session: "s", user: nil, in: "faq")
        #expect(refused.answer.entry == "pw" && allowed.answer.entry == "pw")
        let stored = try await store.asks(collection: "faq", session: "s")
        #expect(stored.map(\.query) == [nil, "reset my password", "refund"])
        #expect(stored[0].entry == "pw" && stored[0].user == "no-texts")  // the rest of the ask is kept
        #expect(stored[2] == anonymous.ask)
    }

    @Test func theStoredQueryPassesTheRedactionGate() async throws {
        let store = InMemoryAssistantRepository()
        let service = AssistantService(
            store: store, embedding: Self.embedding, storedText: StoredTextRedaction(redactor: UpperRedactor()))
        try await service.importCollection(Self.faq, name: "faq", options: AssistantImportOptions(model: "m"))
        _ = try await service.ask("reset password", session: "s", user: nil, in: "faq")
        #expect(try await store.asks(collection: "faq", session: "s").map(\.query) == ["RESET PASSWORD"])
    }

    /// Regression: a one-entry collection holds no query out, and its empty confidence model
    /// had no weights, so the first ask trapped in `LogisticRegression.probability`.
    @Test func aOneEntryCollectionAnswers() async throws {
        let service = AssistantService(store: InMemoryAssistantRepository(), embedding: Self.embedding)
        let one = FAQCollection(entries: [FAQEntry(id: "pw", question: "reset password", answers: ["Use the link."])])
        let served = try await service.importCollection(one, name: "one", options: AssistantImportOptions(model: "m"))
        #expect(served.record.calibration.model.weights.count == ConfidenceFeatures.names.count)
        let reply = try await service.ask("reset password", session: "s", user: nil, in: "one")
        #expect(reply.answer.entry == "pw")
        #expect(reply.answer.confidence == 0.5)
    }

    @Test func policyBoundsAreChecked() async throws {
        let service = AssistantService(store: InMemoryAssistantRepository(), embedding: Self.embedding)
        try await service.importCollection(Self.faq, name: "faq", options: AssistantImportOptions(model: "m", threshold: 0.3))
        #expect(try service.collection(named: "faq").record.settings.handoff.threshold == 0.3)
        await #expect(throws: AssistantServiceError.invalidSetting(field: "threshold", reason: "must be in 0...1")) {
            try await service.setPolicy(threshold: 1.5, ambiguityMargin: nil, of: "faq")
        }
        await #expect(throws: AssistantServiceError.invalidName("a/b")) {
            try await service.importCollection(Self.faq, name: "a/b", options: AssistantImportOptions(model: "m"))
        }
        let automatic = try await service.importCollection(
            Self.faq, name: "auto", options: AssistantImportOptions(model: "m", automaticThreshold: true))
        #expect(automatic.record.settings.handoff.threshold == automatic.record.calibration.suggestedThreshold)
        #expect(automatic.assistant.settings.handoff.threshold == automatic.record.calibration.suggestedThreshold)
    }

    @Test func anEntryGivenTwiceKeepsItsLastVersion() async throws {
        let service = AssistantService(store: InMemoryAssistantRepository(), embedding: Self.embedding)
        try await service.importCollection(Self.faq, name: "faq", options: AssistantImportOptions(model: "m"))
        let served = try await service.upsert(
            [
                FAQEntry(id: "new", question: "open canada", answers: ["first"]),
                FAQEntry(id: "new", question: "open canada", answers: ["second"]),
            ], into: "faq")
        #expect(served.entries.map(\.entry.id) == ["pw", "refund", "ship", "hours", "new"])
        #expect(served.entries.last?.entry.answers == ["second"])
    }
}

/// A redactor that upper-cases, so a test sees that the stored text went through it.
struct UpperRedactor: TextRedactor {
    func redact(_ text: String) throws -> PIIRedaction { PIIRedaction(text: text.uppercased(), entities: []) }
}
